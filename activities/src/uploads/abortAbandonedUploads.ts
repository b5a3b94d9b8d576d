import { MultipartUploads, StorageKeys } from "@reelbase/domain"
import { Effect } from "effect"

export interface AbandonedUploads {
  /** Only uploads started more than this many seconds ago count as abandoned. */
  readonly olderThanSeconds: number
  /** Only this video's uploads (an operator cleaning one by hand); every video's otherwise. */
  readonly videoId?: string | undefined
}

/**
 * Aborts multipart uploads nobody finished: the parts they stored are invisible, unbillable to the uploader,
 * and would otherwise stay in storage forever. Returns how many were aborted.
 */
export const abortAbandonedUploads = Effect.fn("uploads.abortAbandonedUploads")(function*(options: AbandonedUploads) {
  const uploads = yield* MultipartUploads
  const prefix = options.videoId === undefined ? "uploads/" : StorageKeys.original(options.videoId)
  const cutoff = Date.now() - options.olderThanSeconds * 1000
  const abandoned = (yield* uploads.incomplete(prefix)).filter((upload) => upload.initiated.getTime() <= cutoff)
  yield* Effect.forEach(abandoned, (upload) => uploads.abort(upload.key, upload.uploadId), { concurrency: 4, discard: true })
  return abandoned.length
})
