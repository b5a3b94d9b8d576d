import { Context as ActivityContext } from "@temporalio/activity"
import { WorkflowNotFoundError } from "@temporalio/common"
import { workflowIds } from "@reelbase/workflows/shared"

const POLL_MS = 1000

/**
 * Cancels the video's transcode workflow, if it runs, and returns only once it has closed: its activities have
 * then stopped (ffmpeg killed, uploads finished or abandoned), so nothing writes objects after this returns.
 * Returns whether there was a running transcode.
 */
export const stopTranscode = async (videoId: string): Promise<boolean> => {
  const context = ActivityContext.current()
  const handle = context.client.workflow.getHandle(workflowIds.transcode(videoId))
  const isRunning = async () => {
    try {
      return (await handle.describe()).status.name === "RUNNING"
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false
      throw error
    }
  }
  if (!(await isRunning())) return false
  await handle.cancel()
  while (await isRunning()) {
    context.heartbeat()
    await context.sleep(POLL_MS)
  }
  return true
}
