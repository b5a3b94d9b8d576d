import { type Client, ScheduleAlreadyRunning, type ScheduleOptions, ScheduleOverlapPolicy } from "@temporalio/client"
import type { resetViews } from "@reelbase/workflows"
import { MEDIA_TASK_QUEUE, type ViewPeriod, workflowIds } from "@reelbase/workflows/shared"

interface ViewResetSchedule {
  readonly scheduleId: string
  readonly period: ViewPeriod
  /** Cron in UTC. */
  readonly cron: string
  /** A reset missed while the cluster was down still runs (once, thanks to overlap skip) within this window. */
  readonly catchupWindow: string
}

export const viewResetSchedules: ReadonlyArray<ViewResetSchedule> = [
  { scheduleId: "views-reset-daily", period: "day", cron: "0 0 * * *", catchupWindow: "1 day" },
  { scheduleId: "views-reset-monthly", period: "month", cron: "0 0 1 * *", catchupWindow: "7 days" }
]

const optionsFor = (schedule: ViewResetSchedule): ScheduleOptions => ({
  scheduleId: schedule.scheduleId,
  spec: { cronExpressions: [schedule.cron], timezone: "UTC" },
  action: {
    type: "startWorkflow",
    workflowType: "resetViews" satisfies typeof resetViews["name"],
    args: [{ period: schedule.period }],
    taskQueue: MEDIA_TASK_QUEUE,
    workflowId: workflowIds.resetViews(schedule.period)
  },
  policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.catchupWindow },
  memo: { purpose: `Zeroes views_${schedule.period === "day" ? "today" : "month"} on every video` }
})

/** Creates the view-reset Schedules, or brings existing ones up to date: safe on every worker start. */
export const ensureViewResetSchedules = async (client: Client): Promise<void> => {
  for (const schedule of viewResetSchedules) {
    const options = optionsFor(schedule)
    try {
      await client.schedule.create(options)
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error
      await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies }
      }))
    }
  }
}
