import { proxyActivities, sleep } from "@temporalio/workflow"
import type { Activities } from "@reelbase/activities"
import type { RetireEarlyRenditionInput } from "./transcodeShared.ts"

const { retireEarlyRendition: removeEarlyRendition } = proxyActivities<Activities>({
  startToCloseTimeout: "5 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 50 }
})

/**
 * Removes a video's early (remuxed) rendition once its ladder has replaced it in the master playlist, after
 * a grace period for viewers who started playing it: their players still fetch its segments.
 */
export async function retireEarlyRendition({ videoId, afterSeconds }: RetireEarlyRenditionInput): Promise<{ objectsRemoved: number }> {
  await sleep(afterSeconds * 1000)
  return { objectsRemoved: await removeEarlyRendition(videoId) }
}
