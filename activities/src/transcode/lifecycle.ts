import { ProcessingRepo, Storage, StorageKeys, type VideoId, type VideoStatus } from "@reelbase/domain"
import { Effect, Option } from "effect"
import { VideoGone } from "./errors.ts"

const id = (videoId: string) => videoId as VideoId

/** PENDING becomes PROCESSING (a second call changes nothing); a deleted video stops the workflow. */
export const markProcessing = Effect.fn("transcode.markProcessing")(function*(videoId: string) {
  const repo = yield* ProcessingRepo
  const status = yield* repo.markProcessing(id(videoId))
  if (Option.isNone(status)) return yield* new VideoGone({ videoId })
  return status.value satisfies VideoStatus
})

/**
 * The video ends FAILED with the reason, and what the failed transcode wrote under videos/<id>/ is removed;
 * the original stays for whoever wants to look at it. Returns false when the video is gone or finished.
 */
export const markFailed = Effect.fn("transcode.markFailed")(function*(videoId: string, reason: string) {
  const repo = yield* ProcessingRepo
  const storage = yield* Storage
  const marked = yield* repo.markFailed(id(videoId), reason)
  if (marked) yield* storage.removePrefix(StorageKeys.videoPrefix(videoId))
  return marked
})

/** Where the early (remuxed) rendition lives, beside the ladder's renditions. */
export const EARLY_RENDITION = "source"

/** Removes the early rendition once the ladder has replaced it and its last viewers are done with it. */
export const retireEarlyRendition = Effect.fn("transcode.retireEarlyRendition")(function*(videoId: string) {
  const storage = yield* Storage
  return yield* storage.removePrefix(`${StorageKeys.videoPrefix(videoId)}${EARLY_RENDITION}/`)
})
