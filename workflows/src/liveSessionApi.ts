// The liveSession workflow's messages, shared by the workflow, its activities and the API's client.
// Safe inside the workflow sandbox: no Node built-ins, no Effect.
import { defineQuery, defineUpdate } from "@temporalio/workflow"

export interface LiveSessionInput {
  readonly videoId: string
  /** How long the session waits for a publisher before it ends (the API re-arms it on the next offer). */
  readonly publisherWaitSeconds?: number
}

export interface PublishRequest {
  /** Chosen by the API: names the WHIP session (its Location) and makes a retried update idempotent. */
  readonly sessionId: string
  readonly offerSdp: string
}

export interface PublishAnswer {
  readonly sessionId: string
  readonly answerSdp: string
}

export interface StopRequest {
  /** WHIP DELETE names its session; the manage-token stop does not. */
  readonly sessionId?: string
}

export type LivePhase = "waiting" | "connecting" | "publishing" | "sealing" | "ended"

export interface StopOutcome {
  /** What the stop found: a session it ended, or nothing to stop (no publisher yet, or already over). */
  readonly stopped: "session" | "nothing"
}

/** What an operator (or a test) can ask a running session. */
export interface LiveSessionView {
  readonly phase: LivePhase
  readonly sessionId: string | null
  /** The worker-specific task queue of the worker holding the publisher's peer. */
  readonly hostQueue: string | null
}

export interface LiveSessionResult {
  readonly outcome: "recorded" | "no-publisher" | "stopped-before-media"
  readonly segments: number
  readonly durationSeconds: number
}

/** Hands a publisher's SDP offer to the session; answers with the ingest's SDP answer. */
export const publishUpdate = defineUpdate<PublishAnswer, [PublishRequest]>("publish")
/** Ends the session (API stop, WHIP DELETE); completes once the recording is sealed. */
export const stopUpdate = defineUpdate<StopOutcome, [StopRequest]>("stop")
export const sessionQuery = defineQuery<LiveSessionView>("session")

/**
 * `ApplicationFailure.type`s the session and its activities fail publish/stop with; the API turns each into an
 * HTTP status.
 */
export type LiveFailureType =
  /** Not a usable offer (400). */
  | "BadOffer"
  /** Another publisher holds the stream (409). */
  | "PublisherConflict"
  /** The stream is over; its recording is a video now (404 to WHIP clients). */
  | "StreamEnded"
  /** No live stream with that id (404). */
  | "StreamNotFound"
  /** A WHIP session id that is not the current one (404). */
  | "UnknownSession"
  /** The worker holding the session is gone before the supervisor took over. */
  | "SessionLost"
  /** No worker could answer the offer in time (503). */
  | "IngestUnavailable"
