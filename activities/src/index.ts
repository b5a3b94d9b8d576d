import type { ViewPeriod } from "@reelbase/domain"
import type { ActivityRuntime } from "./Runtime.ts"
import { transcodeActivities } from "./transcode/activities.ts"
import { resetViewCounters } from "./viewCounters.ts"
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
  resetViewCounters: (period: ViewPeriod): Promise<number> => runtime.runPromise(resetViewCounters(period))
})

export type Activities = ReturnType<typeof createActivities>
