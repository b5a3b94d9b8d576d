import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { ProcessingRepo, Storage, StorageKeys, type VideoId } from "@reelbase/domain"
import { Effect } from "effect"
import { remuxArgs } from "../ffmpeg/args.ts"
import { Ffmpeg } from "../ffmpeg/Ffmpeg.ts"
import { isBrowserPlayable, type SourceInfo } from "../ffmpeg/probe.ts"
import { aacCodec, h264Codec } from "../hls/codecs.ts"
import { masterPlaylist } from "../hls/playlists.ts"
import { ActivityControl } from "../temporal/ActivityControl.ts"
import { EARLY_RENDITION } from "./lifecycle.ts"
import { sourceUrl } from "./sourceUrl.ts"
import { uploadRendition } from "./uploadRendition.ts"
import { workDir } from "./workDir.ts"

export interface EarlyPublish {
  /** Whether the video became playable from its own streams before the ladder. */
  readonly published: boolean
}

/**
 * When the upload already plays in browsers (H.264/AAC), cuts it into HLS segments without re-encoding and
 * points the master playlist at that one rendition, so `hlsUrl` plays within seconds of `complete`.
 * The ladder later replaces the master playlist.
 */
export const publishEarly = Effect.fn("transcode.publishEarly")(function*(videoId: string, source: SourceInfo) {
  if (!isBrowserPlayable(source)) return { published: false } satisfies EarlyPublish
  const ffmpeg = yield* Ffmpeg
  const storage = yield* Storage
  const repo = yield* ProcessingRepo
  const control = yield* ActivityControl

  const dir = yield* workDir
  const folder = join(dir, EARLY_RENDITION)
  yield* Effect.promise(() => mkdir(folder, { recursive: true }))
  yield* ffmpeg.run(remuxArgs(yield* sourceUrl(videoId), source.audio !== null, folder), {
    onProgress: (report) => control.progress(Math.min(1, report.outTimeSeconds / source.durationSeconds) * 0.8)
  })
  const uploaded = yield* uploadRendition(folder, `${StorageKeys.videoPrefix(videoId)}${EARLY_RENDITION}/`)

  const { video, audio } = source
  const master = masterPlaylist([{
    uri: `${EARLY_RENDITION}/index.m3u8`,
    bandwidth: uploaded.bandwidth,
    width: video.width,
    height: video.height,
    frameRate: video.variableFrameRate ? undefined : video.frameRate,
    codecs: [h264Codec(video.profile ?? "High", video.level ?? 40), ...(audio === null ? [] : [aacCodec(audio.profile)])].join(",")
  }])
  yield* storage.putBytes(StorageKeys.master(videoId), master, "application/vnd.apple.mpegurl").pipe(Effect.uninterruptible)
  const published = yield* repo.publishPlayback(videoId as VideoId, StorageKeys.master(videoId))
  return { published } satisfies EarlyPublish
}, Effect.scoped)
