import { Storage, StorageKeys } from "@reelbase/domain"
import { Effect } from "effect"

/** Removes every object stored for a video: the original upload, the HLS outputs and live segments. */
export const removeVideoObjects = Effect.fn("activities.removeVideoObjects")(function*(videoId: string) {
  const storage = yield* Storage
  let removed = 0
  for (const prefix of StorageKeys.allPrefixes(videoId)) {
    removed += yield* storage.removePrefix(prefix)
  }
  return removed
})
