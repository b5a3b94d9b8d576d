import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  defineSignal,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  TemporalFailure,
  TimeoutFailure
} from "@temporalio/workflow"
import { WorkflowExecutionAlreadyStartedError } from "@temporalio/common"
import type { Activities, SourceInfo } from "@reelbase/activities"
import { retireEarlyRendition } from "./retireEarlyRendition.ts"
import { videoSearchAttributes } from "./shared.ts"
import {
  ENCODE_PROGRESS_SIGNAL,
  PERMANENT_FAILURES,
  TRANSCODE_PROGRESS_QUERY,
  type TranscodeInput,
  type TranscodeProgress,
  type TranscodeResult,
  vodWorkflowIds
} from "./transcodeShared.ts"

export const transcodeProgressQuery = defineQuery<TranscodeProgress>(TRANSCODE_PROGRESS_QUERY)
export const encodeProgressSignal = defineSignal<[number]>(ENCODE_PROGRESS_SIGNAL)

/** Database and storage bookkeeping: quick, and worth retrying through a short outage. */
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: "2 minutes",
  retry: {
    initialInterval: "1 second",
    backoffCoefficient: 2,
    maximumInterval: "1 minute",
    maximumAttempts: 10,
    nonRetryableErrorTypes: PERMANENT_FAILURES
  }
})

/**
 * ffmpeg work. Heartbeats every few seconds: a worker that dies (SIGKILL, lost machine) misses them, and the
 * attempt is retried on another worker after heartbeatTimeout. Cancellation waits until the activity has
 * stopped (ffmpeg killed, uploads settled), so nothing is written after the workflow ends.
 */
const media = proxyActivities<Activities>({
  startToCloseTimeout: "12 hours",
  heartbeatTimeout: "30 seconds",
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: "5 seconds",
    backoffCoefficient: 2,
    maximumInterval: "2 minutes",
    maximumAttempts: 4,
    nonRetryableErrorTypes: PERMANENT_FAILURES
  }
})

/** Recording a failure must outlast a long database outage: the video may never stay PROCESSING. */
const lastWord = proxyActivities<Activities>({
  startToCloseTimeout: "2 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 200 }
})

/** Where each phase's share of the progress bar starts and ends; encoding is nearly all of the time. */
const PHASES: Record<TranscodeProgress["phase"], readonly [number, number]> = {
  starting: [0, 0.01],
  probing: [0.01, 0.03],
  "publishing-early": [0.03, 0.08],
  thumbnail: [0.08, 0.1],
  encoding: [0.1, 0.97],
  publishing: [0.97, 1],
  done: [1, 1]
}

/** Viewers who started on the early rendition keep it at least this long after the ladder replaced it. */
const EARLY_RENDITION_GRACE_SECONDS = 15 * 60

/** The owner's words for why their video failed: the activity's own reason for bad media, a summary otherwise. */
export const failureReason = (error: unknown): string => {
  let deepest: string | undefined
  for (let current: unknown = error; current instanceof TemporalFailure; current = current.cause) {
    if (current instanceof ApplicationFailure && current.type === "InvalidMedia") return current.message
    if (current instanceof TimeoutFailure) return "Transcoding failed: it timed out after repeated attempts"
    deepest = current.message
  }
  return `Transcoding failed after repeated attempts: ${deepest ?? String(error)}`
}

/**
 * Upload → watchable HLS: probe (bad media fails at once, non-retryably) → early publish of the source's own
 * streams when browsers can play them → thumbnail → the ladder in one ffmpeg process → master playlist and
 * READY. Any failure ends FAILED with a reason; cancellation (a deletion) stops ffmpeg before the workflow ends.
 */
export async function transcodeVideo({ videoId }: TranscodeInput): Promise<TranscodeResult> {
  let progress: TranscodeProgress = { phase: "starting", fraction: 0 }
  const enter = (phase: TranscodeProgress["phase"]) => {
    progress = { phase, fraction: PHASES[phase][0] }
  }
  setHandler(transcodeProgressQuery, () => progress)
  setHandler(encodeProgressSignal, (fraction) => {
    const [from, to] = PHASES[progress.phase]
    // A signal moves the bar within the current phase and only forward (signals may arrive late or twice).
    const next = from + (to - from) * Math.min(1, Math.max(0, fraction))
    progress = { phase: progress.phase, fraction: Math.max(progress.fraction, next) }
  })

  try {
    const status = await bookkeeping.markProcessing(videoId)
    if (status !== "PROCESSING") {
      throw ApplicationFailure.nonRetryable(`The video is ${status}, not waiting to be transcoded`, "NothingToDo")
    }
    enter("probing")
    const source = await media.probeSource(videoId)
    enter("publishing-early")
    const earlyPublished = await publishEarlyIfPossible(videoId, source)
    enter("thumbnail")
    await media.makeThumbnail(videoId, source)
    enter("encoding")
    const renditions = await media.encodeLadder(videoId, source)
    enter("publishing")
    await bookkeeping.publishLadder(videoId, renditions, source.durationSeconds)
    enter("done")
    if (earlyPublished) await scheduleEarlyRenditionRetirement(videoId, source.durationSeconds)
    return { status: "READY", renditions: renditions.length, durationSeconds: source.durationSeconds, earlyPublished }
  } catch (error) {
    if (error instanceof ApplicationFailure && error.type === "NothingToDo") throw error
    const reason = isCancellation(error) ? "Transcoding was cancelled" : failureReason(error)
    // Runs even while the workflow is being cancelled; on a deleted video it changes nothing.
    await CancellationScope.nonCancellable(() => lastWord.markFailed(videoId, reason))
    if (isCancellation(error)) throw error
    throw ApplicationFailure.create({ message: reason, type: "TranscodeFailed", nonRetryable: true, cause: error as Error })
  }
}

/** The early rendition only shortens the wait: when it cannot be made, the ladder still will be. */
async function publishEarlyIfPossible(videoId: string, source: SourceInfo): Promise<boolean> {
  try {
    return (await media.publishEarly(videoId, source)).published
  } catch (error) {
    if (isCancellation(error)) throw error
    log.warn("early publish failed; the video becomes playable when the ladder is ready", { videoId, error: String(error) })
    return false
  }
}

/** A separate workflow removes the early rendition later, so this one can finish now. */
async function scheduleEarlyRenditionRetirement(videoId: string, durationSeconds: number): Promise<void> {
  try {
    await startChild(retireEarlyRendition, {
      workflowId: vodWorkflowIds.retireEarlyRendition(videoId),
      args: [{ videoId, afterSeconds: Math.max(EARLY_RENDITION_GRACE_SECONDS, Math.ceil(durationSeconds * 2)) }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: videoSearchAttributes(videoId, "VOD")
    })
  } catch (error) {
    // Already scheduled by an earlier run of this transcode.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
  }
}
