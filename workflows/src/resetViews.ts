import { proxyActivities } from "@temporalio/workflow"
import type { Activities } from "@reelbase/activities"
import type { ResetViewsInput, ResetViewsResult } from "./shared.ts"

const { resetViewCounters } = proxyActivities<Activities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute", maximumAttempts: 20 }
})

/** Zeroes the daily or monthly view counters; run by the `views-reset-*` Schedules. */
export async function resetViews({ period }: ResetViewsInput): Promise<ResetViewsResult> {
  const videosReset = await resetViewCounters(period)
  return { videosReset }
}
