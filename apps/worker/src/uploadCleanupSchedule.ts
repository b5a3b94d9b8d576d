import { type Client, type ScheduleOptions, ScheduleOverlapPolicy } from "@temporalio/client"
import type { cleanupUploads } from "@reelbase/workflows"
import { CLEANUP_UPLOADS_SCHEDULE_ID, type CleanupUploadsInput, vodWorkflowIds } from "@reelbase/workflows/transcode"
import { Config, Effect } from "effect"
import { ensureSchedule } from "./ensureSchedule.ts"
import type { ScheduleTarget } from "./scheduleTarget.ts"

/** Multipart uploads untouched this long are abandoned (browsers keep resumable uploads for six days). */
export const UploadCleanupConfig = Config.Int("UPLOAD_ABANDON_AFTER_HOURS").pipe(Config.withDefault(7 * 24))

const optionsFor = (target: ScheduleTarget, abandonAfterHours: number): ScheduleOptions => ({
  scheduleId: `${target.idPrefix}${CLEANUP_UPLOADS_SCHEDULE_ID}`,
  spec: { intervals: [{ every: "1 hour" }] },
  action: {
    type: "startWorkflow",
    workflowType: "cleanupUploads" satisfies typeof cleanupUploads["name"],
    args: [{ olderThanSeconds: abandonAfterHours * 3600 } satisfies CleanupUploadsInput],
    taskQueue: target.taskQueue,
    workflowId: `${target.idPrefix}${vodWorkflowIds.cleanupUploads}`
  },
  policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: "1 hour" },
  memo: { purpose: `Aborts multipart uploads started more than ${abandonAfterHours} hours ago and never completed` }
})

/** Creates the hourly upload cleanup Schedule, or brings it up to date: safe on every worker start. */
export const ensureUploadCleanupSchedule = async (client: Client, target: ScheduleTarget): Promise<void> =>
  ensureSchedule(client, optionsFor(target, await Effect.runPromise(UploadCleanupConfig)))
