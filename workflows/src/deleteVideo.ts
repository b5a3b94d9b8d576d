import { proxyActivities } from "@temporalio/workflow"
import type { Activities, LiveActivities } from "@reelbase/activities"
import { type DeleteVideoInput, type DeleteVideoResult, workflowIds } from "./shared.ts"

const { removeVideoObjects, abortAbandonedUploads } = proxyActivities<Activities>({
  startToCloseTimeout: "5 minutes",
  // Storage outages are transient: keep trying for a long while, the deletion is already promised.
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 50 }
})

const { endLiveSession } = proxyActivities<LiveActivities>({
  startToCloseTimeout: "2 minutes",
  heartbeatTimeout: "20 seconds",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "30 seconds", maximumAttempts: 20 }
})

const { stopTranscode } = proxyActivities<Activities>({
  // Waits for the transcode to close, which waits for ffmpeg to stop: heartbeats prove it is still waiting.
  startToCloseTimeout: "1 hour",
  heartbeatTimeout: "30 seconds",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute", maximumAttempts: 50 }
})

/**
 * Removes every stored object of a video whose row the API already deleted.
 * Durable: if storage is down, the objects go when it comes back.
 */
export async function deleteVideo({ videoId }: DeleteVideoInput): Promise<DeleteVideoResult> {
  // A live session still writing segments would put objects back after the purge.
  await endLiveSession({ workflowId: workflowIds.live(videoId) })
  // So would a transcode still running: stop it, and wait until it has.
  await stopTranscode(videoId)
  // Parts of an unfinished upload are invisible to a listing of objects.
  await abortAbandonedUploads({ olderThanSeconds: 0, videoId })
  const objectsRemoved = await removeVideoObjects(videoId)
  return { objectsRemoved }
}
