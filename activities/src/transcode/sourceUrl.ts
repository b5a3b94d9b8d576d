import { Storage, StorageError, StorageKeys } from "@reelbase/domain"
import { Effect } from "effect"

/** Long enough for the longest encode: ffmpeg reopens the same URL when a connection drops. */
const SOURCE_URL_TTL_SECONDS = 24 * 3600

/**
 * A presigned GET of the original for ffmpeg, on the address the worker reaches storage at (not the public
 * one): ffmpeg reads it with Range requests, so the original is never copied to local disk.
 */
export const sourceUrl = Effect.fn("transcode.sourceUrl")(function*(videoId: string) {
  const storage = yield* Storage
  const key = StorageKeys.original(videoId)
  return yield* Effect.tryPromise({
    try: () => storage.client.presignedGetObject(storage.bucket, key, SOURCE_URL_TTL_SECONDS),
    catch: (cause) => new StorageError({ operation: "presignGet", key, cause })
  })
})
