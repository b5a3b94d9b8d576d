// Transcoding generated clips of every awkward kind to READY, the early publish, progress, and bad media ending FAILED.
import { execFile } from "node:child_process"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { Storage, StorageKeys } from "@reelbase/domain"
import { afterAll, describe, expect, it } from "vitest"
import { clip, clipsDir, decodeAll, probe } from "./support/clips.ts"
import { seedVideo, services } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import { temporal, uploadViaPresign, waitForOutcome, waitForVideo } from "./support/vod.ts"

afterAll(async () => (await temporal()).close())

const media = (videoId: string, path: string) => `${testEnv.apiUrl}/api/media/videos/${videoId}/${path}`
const objectsUnder = (prefix: string) => services.runPromise(Storage.use((storage) => storage.list(prefix)))

const readyVideo = async (path: string) => {
  const { videoId } = await uploadViaPresign(path)
  const video = await waitForOutcome(videoId)
  expect(video.failureReason).toBeNull()
  expect(video.status).toBe("READY")
  return video
}

/** Probes the rendition through the playback route and decodes it end to end. */
const playable = async (videoId: string, rendition: string) => {
  const url = media(videoId, `${rendition}/index.m3u8`)
  const probed = await probe(url)
  const frames = await decodeAll(url)
  return { probed, frames, video: probed.streams.find((stream) => stream.codec_type === "video")! }
}

describe("transcoding awkward sources", () => {
  it("handles a source without audio", async () => {
    const video = await readyVideo(await clip({ seconds: 3, width: 640, height: 360, audio: false }))
    expect(video.variants.map((v: any) => [v.resolution, v.codec])).toEqual([["360p", "avc1.64001e"]])
    const { probed, frames } = await playable(video.id, "360p")
    expect(probed.streams.map((s) => s.codec_type)).toEqual(["video"])
    expect(frames).toBeGreaterThanOrEqual(85)
  })

  it("turns a rotated phone video upright: portrait renditions, no rotation left, no early publish", async () => {
    const path = await clip({ seconds: 3, width: 640, height: 360, rotate: 90 })
    const source = (await probe(path)).streams.find((s) => s.codec_type === "video")!
    expect(Math.abs(source.side_data_list?.[0]?.rotation ?? 0)).toBe(90)
    const video = await readyVideo(path)
    expect(video.variants.map((v: any) => [v.resolution, v.width, v.height])).toEqual([["360p", 360, 640]])
    const { video: picture } = await playable(video.id, "360p")
    expect([picture.width, picture.height]).toEqual([360, 640])
    expect(picture.side_data_list ?? []).toEqual([])
    const thumbnail = await probe(video.thumbnailUrl)
    expect([thumbnail.streams[0]!.width, thumbnail.streams[0]!.height]).toEqual([360, 640])
    // Players ignore rotation metadata, so the source's own streams are never published early.
    const { client } = await temporal()
    expect(await client.workflow.getHandle(`transcode-${video.id}`).result()).toMatchObject({ earlyPublished: false })
  })

  it("handles odd dimensions (VP9/Opus WebM, as browsers record) without enlarging them", async () => {
    const video = await readyVideo(await clip({ seconds: 3, width: 321, height: 241, webm: true }))
    expect(video.variants.map((v: any) => [v.resolution, v.width, v.height])).toEqual([["240p", 320, 240]])
    const { probed } = await playable(video.id, "240p")
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(["aac", "h264"])
  })

  it("handles a variable-frame-rate source, encoding it at a constant rate", async () => {
    const path = await clip({ seconds: 4, width: 640, height: 360, variableFrameRate: true })
    const source = (await probe(path)).streams.find((s) => s.codec_type === "video") as any
    expect(source.r_frame_rate).not.toBe(source.avg_frame_rate)
    const video = await readyVideo(path)
    const { video: picture, frames } = await playable(video.id, "360p")
    expect((picture as any).avg_frame_rate).toBe("30/1")
    expect(frames).toBeGreaterThanOrEqual(110)
    expect(video.durationSeconds).toBeCloseTo(4, 0)
  })
})

describe("early publish and progress", () => {
  it("plays the source's own H.264/AAC streams while the ladder encodes, reports progress, then replaces the master", async () => {
    const path = await clip({ seconds: 40, width: 1280, height: 720 })
    const { videoId } = await uploadViaPresign(path)
    const progress: Array<number> = []
    const early = await waitForVideo(videoId, (video) => video.status !== "PROCESSING" || video.hlsUrl !== null, {
      intervalMs: 200,
      onPoll: (video) => video.progress !== null && progress.push(video.progress)
    })
    expect(early.status).toBe("PROCESSING")
    const earlyMaster = await (await fetch(early.hlsUrl)).text()
    expect(earlyMaster).toMatch(/RESOLUTION=1280x720,FRAME-RATE=30\.000,CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2"\nsource\/index\.m3u8/)
    const { frames } = await playable(videoId, "source")
    expect(frames).toBeGreaterThanOrEqual(1190)

    const done = await waitForOutcome(videoId, { intervalMs: 300, onPoll: (video) => video.progress !== null && progress.push(video.progress) })
    expect(done.status).toBe("READY")
    expect(done.progress).toBeNull()
    // Progress came from the workflow's query: between 0 and 1, never going back.
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every((value) => value >= 0 && value <= 1)).toBe(true)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))

    const master = await (await fetch(done.hlsUrl)).text()
    expect(master).not.toContain("source/")
    expect(master.match(/^\d+p\/index\.m3u8$/gm)).toEqual(["720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8"])
    // The early rendition stays for viewers already watching it; a workflow removes it later.
    expect((await objectsUnder(`videos/${videoId}/source/`)).length).toBeGreaterThan(1)
    const { client } = await temporal()
    const retire = await client.workflow.getHandle(`retire-early-${videoId}`).describe()
    expect(retire.status.name).toBe("RUNNING")
    expect(retire.type).toBe("retireEarlyRendition")
    expect(retire.typedSearchAttributes.get({ name: "VideoId", type: "KEYWORD" } as never)).toBe(videoId)
    // Removing it now (the operator's "run now") leaves the ladder intact.
    await client.workflow.start("retireEarlyRendition", {
      taskQueue: "media",
      workflowId: `retire-early-now-${videoId}`,
      args: [{ videoId, afterSeconds: 0 }]
    }).then((handle) => handle.result())
    expect(await objectsUnder(`videos/${videoId}/source/`)).toEqual([])
    expect((await playable(videoId, "360p")).frames).toBeGreaterThanOrEqual(1190)
  })
})

describe("bad media", () => {
  const failed = async (path: string, contentType = "video/mp4") => {
    const { videoId, completeStatus } = await uploadViaPresign(path, { contentType })
    expect(completeStatus).toBe(200)
    const video = await waitForOutcome(videoId)
    expect(video.status).toBe("FAILED")
    expect(video.hlsUrl).toBeNull()
    expect(video.thumbnailUrl).toBeNull()
    // The original stays (for whoever wants to look), outputs do not.
    expect(await objectsUnder(StorageKeys.videoPrefix(videoId))).toEqual([])
    expect(await objectsUnder(StorageKeys.original(videoId))).toHaveLength(1)
    return { videoId, reason: video.failureReason as string }
  }

  /** Bad media is not worth retrying: the probe ran once, and the workflow failed. */
  const probedOnce = async (videoId: string) => {
    const { client } = await temporal()
    const handle = client.workflow.getHandle(`transcode-${videoId}`)
    expect((await handle.describe()).status.name).toBe("FAILED")
    const events = (await handle.fetchHistory()).events ?? []
    const probeScheduled = events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === "probeSource")
    expect(probeScheduled).toHaveLength(1)
    // History records the start of an activity's last attempt only, with its number.
    const started = events.find((event) =>
      String(event.activityTaskStartedEventAttributes?.scheduledEventId) === String(probeScheduled[0]!.eventId)
    )
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(1)
  }

  it("fails a text file renamed .mp4 with a readable reason, without retrying", async () => {
    const path = join(clipsDir, "notes-renamed.mp4")
    await writeFile(path, "These are my notes, not a video.\n".repeat(50))
    const { videoId, reason } = await failed(path)
    expect(reason).toBe("The file is not a video that can be read (an unsupported format, or not a video at all)")
    await probedOnce(videoId)
  })

  it("fails a truncated upload whose index survived (faststart)", async () => {
    const whole = await readFile(await clip({ seconds: 6, width: 320, height: 240, faststart: true }))
    const path = join(clipsDir, "truncated-faststart.mp4")
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)))
    const { reason } = await failed(path)
    expect(reason).toMatch(/^The file is truncated or damaged: it announces 6\.0 s but no picture decodes near its end$/)
  })

  it("fails a truncated upload that lost its index", async () => {
    const whole = await readFile(await clip({ seconds: 6, width: 320, height: 240, faststart: false }))
    const path = join(clipsDir, "truncated-noindex.mp4")
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)))
    const { reason } = await failed(path)
    expect(reason).toMatch(/index is missing/)
  })

  it("fails absurd dimensions", async () => {
    const path = join(clipsDir, "absurd.mkv")
    await promisify(execFile)(process.env.FFMPEG_PATH ?? "ffmpeg", [
      "-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=blue:size=8500x16:rate=5:duration=1",
      "-c:v", "ffv1", path
    ])
    const { reason } = await failed(path, "video/x-matroska")
    expect(reason).toBe("The video is 8500x16 pixels; only sizes from 16 to 8192 pixels a side are supported")
  })

  it("fails a zero-length original", async () => {
    // The API refuses empty uploads up front; a zero-length original can still meet the workflow (seeded here).
    const { video, manageToken } = await seedVideo({ status: "PENDING", originalSize: 0, originalKey: StorageKeys.original("x") })
    await services.runPromise(Storage.use((storage) => storage.putBytes(StorageKeys.original(video.id), Buffer.alloc(0), "video/mp4")))
    expect((await api(`/api/upload/${video.id}/complete`, { method: "POST", token: manageToken })).status).toBe(200)
    const done = await waitForOutcome(video.id)
    expect(done).toMatchObject({ status: "FAILED", failureReason: "The file is empty (0 bytes)" })
  })
})
