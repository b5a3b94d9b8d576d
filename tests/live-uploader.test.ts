import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { LiveStorageKeys, Storage } from "@reelbase/domain"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { LiveObjectStore } from "../activities/src/live/LiveObjectStore.ts"
import { parseMediaPlaylist } from "../activities/src/live/playlist.ts"
import { SegmentUploader } from "../activities/src/live/SegmentUploader.ts"
import { services } from "./support/db.ts"
import { liveObjects } from "./support/live.ts"

const ffmpeg = process.env.FFMPEG_PATH ?? "ffmpeg"

/** The real bucket, with a log of every finished write and, optionally, the first few segment writes failing. */
const recordingStore = (failFirstSegments = 0) => {
  const writes: Array<{ key: string; text?: string }> = []
  let failures = failFirstSegments
  const put = (key: string, body: { path: string } | { text: string }, contentType: string) =>
    services.runPromise(Storage.use((storage) =>
      "path" in body ? storage.putFile(key, body.path, contentType) : storage.putBytes(key, body.text, contentType)
    ).pipe(Effect.orDie))
  const store: LiveObjectStore = {
    putFile: async (key, path, contentType) => {
      if (key.endsWith(".ts") && failures > 0) {
        failures -= 1
        throw new Error("storage is down for a moment")
      }
      await put(key, { path }, contentType)
      writes.push({ key })
    },
    putText: async (key, text, contentType) => {
      await put(key, { text }, contentType)
      writes.push({ key, text })
    }
  }
  return { store, writes }
}

/** ffmpeg's live HLS output in real time, as the ingest's packager writes it (1 s segments, temp files renamed). */
const packageLive = (dir: string, seconds: number) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpeg, [
      "-hide_banner", "-loglevel", "error", "-re",
      "-f", "lavfi", "-i", `testsrc2=size=320x180:rate=30:duration=${seconds}`,
      "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
      "-f", "hls", "-hls_time", "1", "-hls_list_size", "3",
      "-hls_flags", "independent_segments+program_date_time+temp_file",
      "-hls_segment_filename", join(dir, "seg_%06d.ts"),
      join(dir, "index.m3u8")
    ], { stdio: "ignore" })
    child.once("error", reject)
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))))
  })

const run = async (failFirstSegments: number) => {
  const videoId = randomUUID()
  const dir = mkdtempSync(join(tmpdir(), "reelbase-uploader-test-"))
  const { store, writes } = recordingStore(failFirstSegments)
  const hooks: Array<{ path: string; existed: boolean }> = []
  const uploader = new SegmentUploader({
    videoId,
    dir,
    store,
    segmentSeconds: 1,
    recordingEvery: 3,
    onFirstPlaylist: async (path) => {
      hooks.push({ path, existed: existsSync(path) })
    },
    log: () => {}
  })
  uploader.start()
  await packageLive(dir, 6)
  const summary = await uploader.flush()
  return { videoId, dir, writes, hooks, summary }
}

describe("SegmentUploader against the real bucket", () => {
  it("stores every segment before any playlist that names it, and the whole session as the recording", async () => {
    const { videoId, dir, writes, hooks, summary } = await run(0)
    const stored = new Set<string>()
    let livePlaylists = 0
    for (const write of writes) {
      if (write.key === LiveStorageKeys.livePlaylist(videoId) || write.key === LiveStorageKeys.recording(videoId)) {
        if (write.key === LiveStorageKeys.livePlaylist(videoId)) livePlaylists += 1
        for (const segment of parseMediaPlaylist(write.text!).segments) expect(stored).toContain(LiveStorageKeys.file(videoId, segment.uri))
      } else {
        stored.add(write.key)
      }
    }
    // The playlist is uploaded as it changes, not only at the end.
    expect(livePlaylists).toBeGreaterThanOrEqual(4)

    // The recording names every segment, in order, from the first; the bucket holds them all.
    const recording = writes.filter((write) => write.key === LiveStorageKeys.recording(videoId)).at(-1)!.text!
    const recorded = parseMediaPlaylist(recording).segments
    expect(recorded.map((segment) => segment.sequence)).toEqual(recorded.map((_, index) => index))
    expect(summary.segments).toBe(recorded.length)
    expect(summary.durationSeconds).toBeCloseTo(6, 0)
    expect((await liveObjects(videoId)).filter((object) => object.key.endsWith(".ts")).length).toBe(recorded.length)

    // The go-live hook ran once, while the first segment was still on disk (for the thumbnail).
    expect(hooks).toEqual([{ path: join(dir, "seg_000000.ts"), existed: true }])
    // Stored segments are not kept on the worker's disk.
    expect(readdirSync(dir).filter((name) => name.endsWith(".ts"))).toEqual([])
  })

  it("loses nothing when the bucket refuses writes for a while", async () => {
    const { videoId, summary, writes } = await run(3)
    const recording = writes.filter((write) => write.key === LiveStorageKeys.recording(videoId)).at(-1)!.text!
    expect(parseMediaPlaylist(recording).segments.map((segment) => segment.uri)).toEqual(
      Array.from({ length: summary.segments }, (_, index) => `seg_${String(index).padStart(6, "0")}.ts`)
    )
    expect((await liveObjects(videoId)).filter((object) => object.key.endsWith(".ts")).length).toBe(summary.segments)
  })
})
