import { ProcessingRepo, Storage, StorageKeys, type VideoId } from "@reelbase/domain"
import { Effect } from "effect"
import { masterPlaylist } from "../hls/playlists.ts"
import type { EncodedRendition } from "./encodeLadder.ts"
import { VideoGone } from "./errors.ts"

/**
 * Replaces the master playlist with the ladder (best rendition first) and records the video READY with its
 * variants and duration, in one transaction.
 */
export const publishLadder = Effect.fn("transcode.publishLadder")(function*(
  videoId: string,
  renditions: ReadonlyArray<EncodedRendition>,
  durationSeconds: number
) {
  const storage = yield* Storage
  const repo = yield* ProcessingRepo
  const prefix = StorageKeys.videoPrefix(videoId)
  const best = [...renditions].sort((a, b) => b.width * b.height - a.width * a.height)
  const master = masterPlaylist(best.map((rendition) => ({
    uri: rendition.playlistKey.slice(prefix.length),
    bandwidth: rendition.bandwidth,
    width: rendition.width,
    height: rendition.height,
    frameRate: rendition.frameRate,
    codecs: rendition.codecs
  })))
  yield* storage.putBytes(StorageKeys.master(videoId), master, "application/vnd.apple.mpegurl").pipe(Effect.uninterruptible)
  const ready = yield* repo.markReady(videoId as VideoId, {
    durationSeconds,
    hlsManifestKey: StorageKeys.master(videoId),
    variants: best.map((rendition) => ({
      resolution: rendition.name,
      width: rendition.width,
      height: rendition.height,
      bitrate: rendition.bandwidth.peak,
      codec: rendition.codecs,
      format: "hls",
      storageKey: rendition.playlistKey,
      sizeBytes: rendition.sizeBytes
    }))
  })
  if (!ready) return yield* new VideoGone({ videoId })
  return best.length
})
