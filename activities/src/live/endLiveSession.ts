import { Context } from "@temporalio/activity"
import { WorkflowNotFoundError } from "@temporalio/common"

const HEARTBEAT_EVERY_MS = 1000

/** For deleteVideo: ends the video's live session, if one runs, and waits until it has stopped writing. */
export async function endLiveSession(input: { readonly workflowId: string }): Promise<boolean> {
  const context = Context.current()
  const handle = context.client.workflow.getHandle(input.workflowId)
  try {
    const description = await handle.describe()
    if (description.status.name !== "RUNNING") return false
    await handle.cancel()
    const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS)
    try {
      await handle.result().catch(() => undefined)
    } finally {
      clearInterval(heartbeat)
    }
    return true
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false
    throw error
  }
}
