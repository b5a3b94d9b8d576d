import type { liveSession } from "@reelbase/workflows"
import {
  type LiveFailureType,
  type LiveSessionInput,
  type PublishAnswer,
  publishUpdate,
  stopUpdate,
  videoSearchAttributes,
  workflowIds
} from "@reelbase/workflows/shared"
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError
} from "@temporalio/client"
import { ApplicationFailure } from "@temporalio/common"
import { Context, Duration, Effect, Layer, Schema } from "effect"
import { ApiConfig } from "./Config.ts"
import { Temporal } from "./Temporal.ts"

/** Why the session refused, in the workflow's words, or that Temporal could not be reached. */
export class LiveSessionError extends Schema.TaggedError<LiveSessionError>()("LiveSessionError", {
  kind: Schema.String,
  message: Schema.String
}) {
  get failureType(): LiveFailureType | "TemporalUnavailable" {
    return this.kind as LiveFailureType | "TemporalUnavailable"
  }
}

// The ingest activity answers within 20 s or fails; anything slower means no worker is there to take it.
const PUBLISH_TIMEOUT = Duration.seconds(30)
// Stopping waits for ffmpeg's last segment, the final uploads and the seal.
const STOP_TIMEOUT = Duration.seconds(60)

const refusal = (error: unknown): LiveSessionError => {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined
  if (cause instanceof ApplicationFailure && cause.type) return new LiveSessionError({ kind: cause.type, message: cause.message })
  return new LiveSessionError({
    kind: "TemporalUnavailable",
    message: `The live session could not be reached: ${error instanceof Error ? error.message : String(error)}`
  })
}

/** The API's side of the `liveSession` workflow: start it, hand it offers, stop it. */
export class LiveSessions extends Context.Service<LiveSessions, {
  /** Starts the session workflow if none runs (idempotent). */
  ensure(videoId: string): Effect.Effect<void, LiveSessionError>
  /** Hands the offer to the session (starting it if needed) and returns the ingest's answer. */
  publish(videoId: string, sessionId: string, offerSdp: string): Effect.Effect<PublishAnswer, LiveSessionError>
  /** Ends the session (or the given WHIP session); "nothing" when no session runs. */
  stop(videoId: string, sessionId?: string): Effect.Effect<"session" | "nothing", LiveSessionError>
}>()("@reelbase/api/LiveSessions") {
  static readonly layer = Layer.effect(
    LiveSessions,
    Effect.gen(function*() {
      const { client } = yield* Temporal
      const { taskQueue } = yield* ApiConfig

      const startOptions = (videoId: string) => ({
        workflowId: workflowIds.live(videoId),
        taskQueue,
        args: [{ videoId } satisfies LiveSessionInput] as [LiveSessionInput],
        // A session that runs already is the one to talk to; one that ended is started afresh.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: videoSearchAttributes(videoId, "LIVE")
      })

      const call = <A>(name: string, timeout: Duration.Duration, run: (client: Client) => Promise<A>) =>
        Effect.tryPromise({ try: () => run(client), catch: refusal }).pipe(
          Effect.timeoutOrElse({
            duration: timeout,
            orElse: () =>
              Effect.fail(new LiveSessionError({ kind: "IngestUnavailable", message: "The live session did not answer in time; try again" }))
          }),
          Effect.withSpan(`LiveSessions.${name}`)
        )

      const ensure = Effect.fn("LiveSessions.ensure")(function*(videoId: string) {
        yield* call("ensure", Duration.seconds(10), (client) => client.workflow.start<typeof liveSession>("liveSession", startOptions(videoId)))
      })

      const publish = (videoId: string, sessionId: string, offerSdp: string) =>
        call("publish", PUBLISH_TIMEOUT, (client) =>
          client.workflow.executeUpdateWithStart(publishUpdate, {
            args: [{ sessionId, offerSdp }],
            // A retried request is the same update, not a second publisher.
            updateId: sessionId,
            startWorkflowOperation: new WithStartWorkflowOperation<typeof liveSession>("liveSession", startOptions(videoId))
          }))

      const stop = (videoId: string, sessionId?: string) =>
        call("stop", STOP_TIMEOUT, async (client) => {
          try {
            const outcome = await client.workflow.getHandle(workflowIds.live(videoId)).executeUpdate(stopUpdate, {
              args: [sessionId === undefined ? {} : { sessionId }]
            })
            return outcome.stopped
          } catch (error) {
            // No session runs (never started, or already over): nothing to stop.
            if (error instanceof WorkflowNotFoundError || (error instanceof Error && /already completed/i.test(error.message))) {
              if (sessionId !== undefined) throw new WorkflowUpdateFailedError("no such session", ApplicationFailure.create({ type: "UnknownSession" satisfies LiveFailureType, message: "No such WHIP session on this stream" }))
              return "nothing" as const
            }
            throw error
          }
        })

      return LiveSessions.of({ ensure, publish, stop })
    })
  )
}
