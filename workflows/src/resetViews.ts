import { defineSearchAttributeKey, SearchAttributeType } from "@temporalio/common"
import { proxyActivities, workflowInfo } from "@temporalio/workflow"
import type { Activities } from "@reelbase/activities"
import type { ResetViewsInput, ResetViewsResult } from "./shared.ts"
import { closedPeriod } from "./viewPeriods.ts"

const { resetViewCounters, purgeViewClaims } = proxyActivities<Activities>({
  startToCloseTimeout: "2 minutes",
  // Postgres being briefly away, or its clock a moment behind midnight, heals by itself: keep trying for a while.
  // A malformed period (InvalidPeriod) is thrown as non-retryable by the activity.
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute", maximumAttempts: 30 }
})

/** Set by the Schedule on every run it starts: the time the run was due, however late it started. */
const ScheduledStartTime = defineSearchAttributeKey("TemporalScheduledStartTime", SearchAttributeType.DATETIME)

const dueTime = (): Date => {
  const info = workflowInfo()
  const typed = info.typedSearchAttributes.get(ScheduledStartTime)
  if (typed !== undefined) return typed
  // Older servers send the attribute without type metadata; it then only shows up untyped.
  const untyped = info.searchAttributes?.TemporalScheduledStartTime?.[0]
  if (untyped instanceof Date) return untyped
  if (typeof untyped === "string" && !Number.isNaN(Date.parse(untyped))) return new Date(untyped)
  return info.startTime
}

/**
 * Zeroes views_today (period `day`) or views_month (`month`) on every video, once per closed period; run by the
 * `views-reset-daily` / `views-reset-monthly` Schedules. Re-running it for the same period changes nothing.
 */
export async function resetViews({ period, closes }: ResetViewsInput): Promise<ResetViewsResult> {
  const closing = closes ?? closedPeriod(period, dueTime())
  const { outcome, videosReset } = await resetViewCounters({ period, closes: closing })
  const claimsPurged = period === "day" ? await purgeViewClaims() : 0
  return { period, closes: closing, outcome, videosReset, claimsPurged }
}
