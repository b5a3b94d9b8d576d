import { checkOffer, VideoId, VideoRepo } from "@reelbase/domain"
import type { LiveFailureType } from "@reelbase/workflows/shared"
import { ApplicationFailure, Context } from "@temporalio/activity"
import { Option } from "effect"
import type { ActivityRuntime } from "../Runtime.ts"
import { endLiveSession } from "./endLiveSession.ts"
import { makeGoLive } from "./goLive.ts"
import { OfferRejected } from "./IngestPeer.ts"
import { type IngestSummary, IngestSession } from "./IngestSession.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"
import { liveObjectStore } from "./LiveObjectStore.ts"
import { makeSealLiveRecording } from "./sealRecording.ts"
import type { SessionRegistry } from "./SessionRegistry.ts"

export interface OpenLiveIngestInput {
  readonly videoId: string
  readonly sessionId: string
  readonly offerSdp: string
}

export interface OpenLiveIngestResult {
  readonly answerSdp: string
  /** This worker's own task queue: the session's later activities must run here, where its peer is. */
  readonly hostQueue: string
}

export interface LiveSessionRef {
  readonly videoId: string
  readonly sessionId: string
}

export interface LiveActivityOptions {
  readonly settings: LiveIngestSettings
  /** The task queue only this worker process polls. */
  readonly hostQueue: string
  readonly registry: SessionRegistry
}

/** A supervisor must take an answered session over within this long, or the session stops itself. */
const CLAIM_WITHIN_MS = 60_000
const HEARTBEAT_EVERY_MS = 1000

const fail = (type: LiveFailureType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true })

const log = (message: string) => console.log(message)

/**
 * The live session's activities. `openLiveIngest` runs on the shared queue and pins the session to whichever
 * worker ran it; `superviseLiveIngest` and `stopLiveIngest` run on that worker's own queue; `sealLiveRecording`
 * runs anywhere, from what is in the bucket, so it works even when the worker that held the peer is gone;
 * `endLiveSession` is deleteVideo's.
 */
export const createLiveActivities = (runtime: ActivityRuntime, options: LiveActivityOptions) => {
  const { settings, hostQueue, registry } = options
  const store = liveObjectStore(runtime)

  const goLive = makeGoLive(runtime, settings, store)
  async function openLiveIngest(input: OpenLiveIngestInput): Promise<OpenLiveIngestResult> {
    const video = await runtime.runPromise(VideoRepo.use((repo) => repo.findById(VideoId.make(input.videoId))))
    if (Option.isNone(video) || video.value.videoType !== "LIVE") throw fail("StreamNotFound", `No live stream with id ${input.videoId}`)
    if (video.value.status === "READY" || video.value.status === "FAILED") {
      throw fail("StreamEnded", "This live stream has ended; its recording is a video now. Create a new stream to go live again.")
    }
    const check = checkOffer(input.offerSdp)
    if (check._tag === "Invalid") throw fail("BadOffer", `Not a usable SDP offer: ${check.reason}`)
    let session: IngestSession
    try {
      session = await IngestSession.open(input, { settings, store, goLive, log })
    } catch (error) {
      if (error instanceof OfferRejected) throw fail("BadOffer", `Not a usable SDP offer: ${error.message}`)
      throw error
    }
    registry.add(session, CLAIM_WITHIN_MS)
    return { answerSdp: session.answerSdp, hostQueue }
  }

  async function superviseLiveIngest(ref: LiveSessionRef): Promise<IngestSummary> {
    const context = Context.current()
    const session = registry.claim(ref.sessionId)
    if (session === undefined) throw fail("SessionLost", `Session ${ref.sessionId} is not held by this worker`)
    const heartbeat = setInterval(() => context.heartbeat(session.progress()), HEARTBEAT_EVERY_MS)
    try {
      const cancelled = context.cancelled.then(() => undefined, (failure: unknown) => failure)
      const first = await Promise.race([session.ended.then((end) => ({ end })), cancelled.then((failure) => ({ failure }))])
      if ("failure" in first) {
        await session.stop("cancelled", "the session's workflow was cancelled or the worker is shutting down")
        throw first.failure
      }
      return await session.stop(first.end.reason, first.end.detail)
    } finally {
      clearInterval(heartbeat)
      registry.remove(ref.sessionId)
    }
  }

  /** The host's stop: ends the session in order; its supervisor then reports the summary. */
  async function stopLiveIngest(ref: LiveSessionRef): Promise<boolean> {
    const session = registry.find(ref.sessionId)
    if (session === undefined) return false
    void session.stop("stop-requested")
    return true
  }

  return {
    openLiveIngest,
    superviseLiveIngest,
    stopLiveIngest,
    sealLiveRecording: makeSealLiveRecording(runtime, settings, store),
    endLiveSession
  }
}

export type LiveActivities = ReturnType<typeof createLiveActivities>
