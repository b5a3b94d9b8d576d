import type { ViewReset } from "@reelbase/domain"
import type { ActivityRuntime } from "./Runtime.ts"
import { transcodeActivities } from "./transcode/activities.ts"
import { purgeViewClaims, resetViewCounters, type ResetViewCountersResult } from "./viewCounters.ts"
import { removeVideoObjects } from "./videoObjects.ts"

export { type ActivityRuntime, makeActivityRuntime } from "./Runtime.ts"
export * from "./transcode/exports.ts"

/**
 * The activities of every workflow, as plain async functions bound to one runtime.
 * Workflows import only the type of this object.
 */
export const createActivities = (runtime: ActivityRuntime) => ({
  ...transcodeActivities(runtime),
  removeVideoObjects: (videoId: string): Promise<number> => runtime.runPromise(removeVideoObjects(videoId)),
  resetViewCounters: (reset: ViewReset): Promise<ResetViewCountersResult> => runtime.runPromise(resetViewCounters(reset)),
  purgeViewClaims: (): Promise<number> => runtime.runPromise(purgeViewClaims())
})

export type Activities = ReturnType<typeof createActivities>
export * from "./live/index.ts"
