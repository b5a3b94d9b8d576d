import { type Client, type ScheduleOptions, ScheduleOverlapPolicy } from "@temporalio/client"
import type { resetViews } from "@reelbase/workflows"
import { type ResetViewsInput, type ViewPeriod, workflowIds } from "@reelbase/workflows/shared"
import { ensureSchedule } from "./ensureSchedule.ts"
import type { ScheduleTarget } from "./scheduleTarget.ts"

interface ViewResetSchedule {
  readonly scheduleId: string
  readonly period: ViewPeriod
  /** Cron in UTC. */
  readonly cron: string
  /**
   * A reset missed while the cluster was down still runs when it comes back within this window; overlap skip
   * keeps that to one run, and the reset itself is a no-op for a period already closed.
   */
  readonly catchupWindow: string
  readonly note: string
}

export const viewResetSchedules: ReadonlyArray<ViewResetSchedule> = [
  {
    scheduleId: "views-reset-daily",
    period: "day",
    cron: "0 0 * * *",
    catchupWindow: "1 day",
    note: "Zeroes views_today on every video at 00:00 UTC (workflow resetViews, period day). Managed by the worker."
  },
  {
    scheduleId: "views-reset-monthly",
    period: "month",
    cron: "0 0 1 * *",
    catchupWindow: "7 days",
    note: "Zeroes views_month on every video at 00:00 UTC on the 1st (workflow resetViews, period month). Managed by the worker."
  }
]

export const viewResetScheduleOptions = (schedule: ViewResetSchedule, target: ScheduleTarget): ScheduleOptions => ({
  scheduleId: `${target.idPrefix}${schedule.scheduleId}`,
  spec: { cronExpressions: [schedule.cron], timezone: "UTC" },
  action: {
    type: "startWorkflow",
    workflowType: "resetViews" satisfies typeof resetViews["name"],
    args: [{ period: schedule.period } satisfies ResetViewsInput],
    taskQueue: target.taskQueue,
    // Temporal appends the scheduled time, so each run's id names the reset it is: reset-views-day-2026-11-24T00:00:00Z.
    workflowId: `${target.idPrefix}${workflowIds.resetViews(schedule.period)}`
  },
  policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.catchupWindow },
  state: { note: schedule.note },
  memo: { purpose: schedule.note }
})

/** Creates the view-reset Schedules, or brings existing ones up to date: safe on every worker start. */
export const ensureViewResetSchedules = async (client: Client, target: ScheduleTarget): Promise<void> => {
  for (const schedule of viewResetSchedules) await ensureSchedule(client, viewResetScheduleOptions(schedule, target))
}
