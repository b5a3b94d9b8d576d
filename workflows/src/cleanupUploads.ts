import { proxyActivities } from "@temporalio/workflow"
import type { Activities } from "@reelbase/activities"
import type { CleanupUploadsInput, CleanupUploadsResult } from "./transcodeShared.ts"

const { abortAbandonedUploads } = proxyActivities<Activities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "5 seconds", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 10 }
})

/** Aborts multipart uploads started long ago and never finished; run hourly by the uploads-cleanup Schedule. */
export async function cleanupUploads(input: CleanupUploadsInput): Promise<CleanupUploadsResult> {
  return { aborted: await abortAbandonedUploads(input) }
}
