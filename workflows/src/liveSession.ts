import {
  ActivityCancellationType,
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler
} from "@temporalio/workflow"
import type { LiveActivities } from "@reelbase/activities"
import {
  type LiveFailureType,
  type LivePhase,
  type LiveSessionInput,
  type LiveSessionResult,
  publishUpdate,
  sessionQuery,
  stopUpdate
} from "./liveSessionApi.ts"

const DEFAULT_PUBLISHER_WAIT_SECONDS = 24 * 3600

const { openLiveIngest } = proxyActivities<LiveActivities>({
  // A publisher's HTTP request waits for the answer: a retry elsewhere would answer too late and leave a peer behind.
  startToCloseTimeout: "20 seconds",
  retry: { maximumAttempts: 1 }
})

const { sealLiveRecording } = proxyActivities<LiveActivities>({
  startToCloseTimeout: "10 minutes",
  heartbeatTimeout: "1 minute",
  // Sealing reads and writes the bucket and the database: outages pass, the recording must not be lost.
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute", maximumAttempts: 30 }
})

/** Activities that must run where the publisher's peer lives: that worker's own task queue. */
const onHost = (hostQueue: string) => ({
  supervisor: proxyActivities<LiveActivities>({
    taskQueue: hostQueue,
    // A worker that died right after answering never picks this up: give up soon and seal from storage.
    scheduleToStartTimeout: "30 seconds",
    startToCloseTimeout: "7 days",
    // The supervisor heartbeats every second; ten silent seconds mean its worker is gone.
    heartbeatTimeout: "10 seconds",
    // Retrying on the same queue cannot help: the peer died with its worker.
    retry: { maximumAttempts: 1 },
    // When the session is cancelled (video deleted), wait until the ingest has stopped writing.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED
  }),
  stopper: proxyActivities<LiveActivities>({
    taskQueue: hostQueue,
    scheduleToStartTimeout: "10 seconds",
    startToCloseTimeout: "10 seconds",
    retry: { maximumAttempts: 1 }
  })
})

const failure = (type: LiveFailureType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true })

/** An activity's refusal, passed on to the update's caller with its type (the API maps types to HTTP statuses). */
const asUpdateFailure = (error: unknown): ApplicationFailure => {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type) {
    return failure(error.cause.type as LiveFailureType, error.cause.message)
  }
  return failure("IngestUnavailable", "No worker could take the stream right now; try again in a moment")
}

const busyMessage: Record<LivePhase, string> = {
  waiting: "",
  connecting: "Another publisher is connecting to this stream",
  publishing: "This stream is already live from another publisher; stop it there first",
  sealing: "The previous session of this stream is still being saved; try again in a few seconds",
  ended: "This live stream has ended"
}

/**
 * One live stream: waits for a publisher's offer (the `publish` update), runs the ingest on the worker that
 * answered it, and when the stream stops (host stop, WHIP DELETE, publisher gone, worker lost) seals what was
 * recorded as a replayable video. A session that recorded nothing goes back to waiting for a publisher.
 */
export async function liveSession(input: LiveSessionInput): Promise<LiveSessionResult> {
  const { videoId } = input
  // Widened: handlers change it between awaits, which narrowing cannot see.
  let phase = "waiting" as LivePhase
  let session: { readonly sessionId: string; readonly hostQueue: string } | undefined
  let stopRequested = false
  let streamGone = false

  setHandler(sessionQuery, () => ({
    phase,
    sessionId: session?.sessionId ?? null,
    hostQueue: session?.hostQueue ?? null
  }))

  setHandler(
    publishUpdate,
    async (request) => {
      if (phase !== "waiting" || stopRequested) throw failure("PublisherConflict", busyMessage[phase] || busyMessage.ended)
      phase = "connecting"
      try {
        const opened = await openLiveIngest({ videoId, sessionId: request.sessionId, offerSdp: request.offerSdp })
        session = { sessionId: request.sessionId, hostQueue: opened.hostQueue }
        phase = "publishing"
        return { sessionId: request.sessionId, answerSdp: opened.answerSdp }
      } catch (error) {
        const refusal = asUpdateFailure(error)
        if (refusal.type === "StreamEnded" || refusal.type === "StreamNotFound") streamGone = true
        phase = "waiting"
        throw refusal
      }
    },
    {
      // Refused before it is recorded in history: a second publisher cannot flood the session's event log.
      validator: (request) => {
        if (phase !== "waiting" || stopRequested) throw failure("PublisherConflict", busyMessage[phase] || busyMessage.ended)
        if (request.offerSdp.trim() === "") throw failure("BadOffer", "The offer is empty")
      }
    }
  )

  setHandler(stopUpdate, async (request) => {
    if (request.sessionId !== undefined && request.sessionId !== session?.sessionId) {
      throw failure("UnknownSession", "No such WHIP session on this stream")
    }
    const hadPublisher = session !== undefined
    stopRequested = true
    await condition(() => phase === "ended")
    return { stopped: hadPublisher ? "session" as const : "nothing" as const }
  })

  const end = async (result: LiveSessionResult): Promise<LiveSessionResult> => {
    phase = "ended"
    // Stop callers get their answer before the workflow closes.
    await condition(allHandlersFinished)
    return result
  }

  for (;;) {
    await condition(() => phase === "publishing" || stopRequested || streamGone, `${input.publisherWaitSeconds ?? DEFAULT_PUBLISHER_WAIT_SECONDS} seconds`)
    // An offer being answered right now decides the next step.
    await condition(() => phase !== "connecting")
    if (phase !== "publishing" || session === undefined) return await end({ outcome: "no-publisher", segments: 0, durationSeconds: 0 })

    await superviseIngest(videoId, session, () => stopRequested)
    phase = "sealing"
    const sealed = await sealLiveRecording({ videoId })
    if (sealed.outcome !== "nothing-recorded" || stopRequested) {
      return await end({
        outcome: sealed.segments > 0 ? "recorded" : "stopped-before-media",
        segments: sealed.segments,
        durationSeconds: sealed.durationSeconds
      })
    }
    // The publisher connected but no media was recorded (it never sent any, or failed at once): let it retry.
    log.info("live session recorded nothing; waiting for a publisher again", { videoId })
    session = undefined
    phase = "waiting"
  }
}

/** Runs the ingest's supervisor on the host worker until the stream ends; a host stop goes out when asked for. */
const superviseIngest = async (
  videoId: string,
  session: { readonly sessionId: string; readonly hostQueue: string },
  stopRequested: () => boolean
): Promise<void> => {
  const host = onHost(session.hostQueue)
  const ref = { videoId, sessionId: session.sessionId }
  const supervision = host.supervisor.superviseLiveIngest(ref)
  // Fire-and-forget in the workflow's terms: if the host is gone, the supervisor's heartbeat timeout ends things.
  void condition(stopRequested).then(() => host.stopper.stopLiveIngest(ref)).catch(() => false)
  try {
    const summary = await supervision
    log.info("live ingest ended", { videoId, reason: summary.reason, segments: summary.segments })
  } catch (error) {
    // The session itself is being cancelled (the video is being deleted): nothing to seal.
    if (isCancellation(error) && CancellationScope.current().consideredCancelled) throw error
    log.warn("live ingest ended abnormally; sealing what was stored", { videoId, error: String(error) })
  }
}
