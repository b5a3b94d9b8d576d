import { proxyActivities } from "@temporalio/workflow"
import type { Activities } from "@reelbase/activities"
import type { DeleteVideoInput, DeleteVideoResult } from "./shared.ts"

const { removeVideoObjects } = proxyActivities<Activities>({
  startToCloseTimeout: "5 minutes",
  // Storage outages are transient: keep trying for a long while, the deletion is already promised.
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 50 }
})

/**
 * Removes every stored object of a video whose row the API already deleted.
 * Durable: if storage is down, the objects go when it comes back.
 */
export async function deleteVideo({ videoId }: DeleteVideoInput): Promise<DeleteVideoResult> {
  const objectsRemoved = await removeVideoObjects(videoId)
  return { objectsRemoved }
}
