import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, siteOrigin } from "./support/browser.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import {
  createStream,
  eventually,
  liveObjects,
  liveStatus,
  mediaText,
  temporalClient,
  waitForStatus
} from "./support/live.ts"
import { connectionState, endSession, openPublisher, openViewer, publish, viewerStats } from "./support/livePages.ts"

const run = promisify(execFile)
const ffprobe = process.env.FFPROBE_PATH ?? "ffprobe"

/** The API as the browser reaches it (PUBLIC_API_URL), for URLs the API hands out. */
const publicApi = process.env.PUBLIC_API_URL!

const probe = async (url: string) => {
  const { stdout } = await run(ffprobe, ["-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name", "-of", "json", url])
  return JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string }>; format: { duration: string } }
}

const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? -1)

let camera: Browser
let viewers: Browser
const temporal = await temporalClient()

beforeAll(async () => {
  camera = await launchBrowser({ camera: true })
  viewers = await launchBrowser()
})
afterAll(async () => {
  await camera?.close()
  await viewers?.close()
  await temporal.close()
})

describe("a camera published over WHIP", () => {
  it("goes live, plays with hls.js while live, refuses a second publisher, and ends as a replayable video", async () => {
    const stream = await createStream("Camera over WHIP")
    const publisher = await openPublisher(camera, siteOrigin, { source: "camera", width: 640, height: 360 })
    const published = await publish(publisher, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })

    expect(published.status).toBe(201)
    expect(published.location).toMatch(new RegExp(`^/api/live/${stream.videoId}/whip/[0-9a-f-]{36}$`))
    expect(published.body).toMatch(/^v=0\r\n/)
    expect(published.body).toContain("a=recvonly")
    // The answer carries its candidates: no trickle ICE needed.
    expect(published.body).toMatch(/a=candidate:.* typ host/)
    await eventually("the publisher to connect", async () => ((await connectionState(publisher)) === "connected" ? true : undefined), 30_000)

    const live = await waitForStatus(stream.videoId, (status) => status.isLiveNow, "the stream to go live", 60_000)
    expect(live).toMatchObject({ status: "LIVE", hlsUrl: `${publicApi}/api/media/live/${stream.videoId}/index.m3u8` })
    expect(live.liveStartedAt).not.toBeNull()
    const { body: listed } = await api("/api/live")
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(stream.videoId)

    // Segments land in storage and the live playlist moves forward, with wall-clock times.
    const livePlaylistUrl = `${testEnv.apiUrl}/api/media/live/${stream.videoId}/index.m3u8`
    const first = await mediaText(livePlaylistUrl)
    expect(first).toContain("#EXT-X-PROGRAM-DATE-TIME:")
    expect(first).not.toContain("#EXT-X-ENDLIST")
    const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(first)?.[1])
    expect(target).toBeGreaterThanOrEqual(1)
    expect(target).toBeLessThanOrEqual(2)
    await eventually("the live playlist to advance", async () => {
      const later = await mediaText(livePlaylistUrl)
      return mediaSequence(later) > mediaSequence(first) ? later : undefined
    }, 30_000)
    const stored = await liveObjects(stream.videoId)
    expect(stored.filter((object) => /seg_\d{6}\.ts$/.test(object.key)).length).toBeGreaterThanOrEqual(3)
    // Every segment the live playlist names is already in the bucket.
    const named = (await mediaText(livePlaylistUrl)).split("\n").filter((line) => line.endsWith(".ts"))
    const keys = new Set((await liveObjects(stream.videoId)).map((object) => object.key))
    for (const segment of named) expect(keys).toContain(`live/${stream.videoId}/${segment}`)

    // A viewer plays it live with hls.js.
    const viewer = await openViewer(viewers, siteOrigin, live.hlsUrl!)
    const playing = await eventually("hls.js to play the live stream", async () => {
      const stats = await viewerStats(viewer)
      expect(stats.errors).toEqual([])
      return stats.currentTime > 2 ? stats : undefined
    }, 60_000)
    expect(playing.videoWidth).toBe(640)

    // A second publisher is refused while the first is live, and changes nothing.
    const second = await openPublisher(camera, siteOrigin, { source: "camera" })
    const refused = await publish(second, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })
    expect(refused.status).toBe(409)
    expect(JSON.parse(refused.body).message).toContain("already live")
    expect((await liveStatus(stream.videoId)).isLiveNow).toBe(true)

    // The host ends the session with WHIP DELETE: the recording is sealed before the answer.
    const sessionUrl = new URL(published.location!, stream.whipUrl).toString()
    expect(await endSession(publisher, sessionUrl, stream.streamKey)).toBe(200)
    const ended = await liveStatus(stream.videoId)
    expect(ended).toMatchObject({
      status: "READY",
      isLiveNow: false,
      hlsUrl: `${publicApi}/api/media/live/${stream.videoId}/recording.m3u8`
    })
    expect(ended.liveEndedAt).not.toBeNull()
    expect((await api("/api/live")).body.items.map((item: { id: string }) => item.id)).not.toContain(stream.videoId)

    const recording = await mediaText(`${testEnv.apiUrl}/api/media/live/${stream.videoId}/recording.m3u8`)
    expect(recording).toContain("#EXT-X-PLAYLIST-TYPE:VOD")
    expect(recording.trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true)
    const recorded = recording.split("\n").filter((line) => line.endsWith(".ts"))
    expect(recorded[0]).toBe("seg_000000.ts")
    const allKeys = new Set((await liveObjects(stream.videoId)).map((object) => object.key))
    for (const segment of recorded) expect(allKeys).toContain(`live/${stream.videoId}/${segment}`)
    // The live playlist tells viewers still on it that the stream is over.
    expect((await mediaText(livePlaylistUrl)).trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true)

    // The replay: H.264 (copied from the browser) and AAC (from Opus), as long as the stream ran.
    const probed = await probe(`${testEnv.apiUrl}/api/media/live/${stream.videoId}/recording.m3u8`)
    expect(probed.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(["audio:aac", "video:h264"])
    const video = (await api(`/api/videos/${stream.videoId}`)).body
    expect(Number(probed.format.duration)).toBeGreaterThan(3)
    expect(Math.abs(video.durationSeconds - Number(probed.format.duration))).toBeLessThan(1.5)
    expect(video.thumbnailUrl).toBe(`${publicApi}/api/media/live/${stream.videoId}/thumbnail.jpg`)
    expect((await fetch(`${testEnv.apiUrl}/api/media/live/${stream.videoId}/thumbnail.jpg`)).headers.get("content-type")).toBe("image/jpeg")

    const replay = await openViewer(viewers, siteOrigin, ended.hlsUrl!)
    await eventually("the recording to replay", async () => {
      const stats = await viewerStats(replay)
      expect(stats.errors).toEqual([])
      return stats.currentTime > 1 ? true : undefined
    }, 60_000)

    const handle = temporal.client.workflow.getHandle(`live-${stream.videoId}`)
    expect(await handle.result()).toMatchObject({ outcome: "recorded", segments: recorded.length })
    // An ended stream takes no new publisher, and cannot be started again.
    const again = await publish(second, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })
    expect(again.status).toBe(410)
    expect((await api(`/api/live/${stream.videoId}/start`, { method: "POST", token: stream.manageToken })).status).toBe(410)
  })
})

describe("the seed's JSON signalling", () => {
  it("publishes through the same ingest, and the manage-token stop seals the recording", async () => {
    const stream = await createStream("Camera over JSON signalling")
    const publisher = await openPublisher(camera, siteOrigin, { source: "camera", audio: false })
    const published = await publish(publisher, { url: stream.webrtcSignalUrl, streamKey: stream.streamKey, protocol: "signal" })
    expect(published.status).toBe(200)
    expect(JSON.parse(published.body)).toEqual({ type: "answer", sdp: expect.stringMatching(/^v=0\r\n/) })
    await waitForStatus(stream.videoId, (status) => status.isLiveNow, "the stream to go live", 60_000)
    await eventually("a few segments", async () => {
      const objects = await liveObjects(stream.videoId)
      return objects.filter((object) => object.key.endsWith(".ts")).length >= 3 ? true : undefined
    }, 30_000)

    const stopped = await api(`/api/live/${stream.videoId}/stop`, { method: "POST", token: stream.manageToken })
    expect(stopped.status).toBe(200)
    expect(stopped.body).toMatchObject({ status: "READY", isLiveNow: false })
    // Without audio the replay is video only.
    const probed = await probe(`${testEnv.apiUrl}/api/media/live/${stream.videoId}/recording.m3u8`)
    expect(probed.streams.map((s) => s.codec_type)).toEqual(["video"])
    // Stopping again is harmless.
    expect((await api(`/api/live/${stream.videoId}/stop`, { method: "POST", token: stream.manageToken })).body).toMatchObject({ status: "READY" })
  })
})
