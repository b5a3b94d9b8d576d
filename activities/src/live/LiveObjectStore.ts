import { Storage } from "@reelbase/domain"
import { Effect } from "effect"
import type { ActivityRuntime } from "../Runtime.ts"

/** The two writes a live session makes to the bucket, as promises for its callback-driven code. */
export interface LiveObjectStore {
  putFile(key: string, path: string, contentType: string): Promise<void>
  putText(key: string, text: string, contentType: string): Promise<void>
}

export const PLAYLIST_CONTENT_TYPE = "application/vnd.apple.mpegurl"
export const SEGMENT_CONTENT_TYPE = "video/mp2t"

export const liveObjectStore = (runtime: ActivityRuntime): LiveObjectStore => ({
  putFile: (key, path, contentType) =>
    runtime.runPromise(Storage.use((storage) => storage.putFile(key, path, contentType)).pipe(Effect.orDie)),
  putText: (key, text, contentType) =>
    runtime.runPromise(Storage.use((storage) => storage.putBytes(key, text, contentType)).pipe(Effect.orDie))
})
