import { MEDIA_TASK_QUEUE } from "@reelbase/workflows/shared"

/** Where a worker's Schedules start their runs, and the prefix of their schedule and workflow ids. */
export interface ScheduleTarget {
  readonly taskQueue: string
  readonly idPrefix: string
}

/**
 * Schedules belong to the workers of one task queue. The default queue keeps the plain ids operators know; a
 * worker on another queue (a second deployment sharing the namespace, a test's own worker) gets ids prefixed
 * with its queue, so its start never retargets the default queue's Schedules at itself.
 */
export const scheduleTargetFor = (taskQueue: string): ScheduleTarget => ({
  taskQueue,
  idPrefix: taskQueue === MEDIA_TASK_QUEUE ? "" : `${taskQueue}-`
})
