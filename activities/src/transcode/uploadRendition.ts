import { readdir, readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { Storage } from "@reelbase/domain"
import { Effect } from "effect"
import { type Bandwidth, measureBandwidth, mediaSegments } from "../hls/playlists.ts"
import { ActivityControl } from "../temporal/ActivityControl.ts"

const CONTENT_TYPES: Record<string, string> = { m3u8: "application/vnd.apple.mpegurl", ts: "video/mp2t" }

export interface UploadedRendition {
  readonly playlistKey: string
  readonly sizeBytes: number
  readonly bandwidth: Bandwidth
  readonly segmentCount: number
}

/**
 * Uploads one rendition folder (index.m3u8 and its segments) under `prefix`: every segment before the
 * playlist that names it, so a player never meets a playlist whose segments are not there yet.
 * Each object is uploaded whole even when cancellation arrives mid-way: nothing is written after the
 * activity reports that it stopped.
 */
export const uploadRendition = Effect.fn("transcode.uploadRendition")(function*(folder: string, prefix: string) {
  const storage = yield* Storage
  const control = yield* ActivityControl
  const playlist = yield* Effect.promise(() => readFile(join(folder, "index.m3u8"), "utf8"))
  const segments = mediaSegments(playlist)
  const files = new Set(yield* Effect.promise(() => readdir(folder)))
  const missing = segments.find((segment) => !files.has(segment.uri))
  if (missing !== undefined) return yield* Effect.die(new Error(`ffmpeg listed ${missing.uri} but did not write it`))

  const put = (name: string) =>
    storage.putFile(`${prefix}${name}`, join(folder, name), CONTENT_TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream").pipe(
      Effect.uninterruptible,
      Effect.andThen(control.heartbeat)
    )

  const sized = yield* Effect.forEach(segments, (segment) =>
    put(segment.uri).pipe(
      Effect.andThen(Effect.promise(() => stat(join(folder, segment.uri)))),
      Effect.map((info) => ({ ...segment, sizeBytes: info.size }))
    ), { concurrency: 4 })
  yield* put("index.m3u8")

  return {
    playlistKey: `${prefix}index.m3u8`,
    sizeBytes: sized.reduce((sum, segment) => sum + segment.sizeBytes, 0),
    bandwidth: measureBandwidth(sized),
    segmentCount: sized.length
  } satisfies UploadedRendition
})
