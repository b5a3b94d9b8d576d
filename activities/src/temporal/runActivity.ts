import { Context as ActivityContext } from "@temporalio/activity"
import { ApplicationFailure, CancelledFailure } from "@temporalio/common"
import { PERMANENT_FAILURES } from "@reelbase/workflows/transcode"
import { Cause, type Duration, Effect, Exit, Fiber, Option, Schedule } from "effect"
import type { ActivityRuntime, ActivityServices } from "../Runtime.ts"
import { ActivityControl } from "./ActivityControl.ts"


export interface RunOptions {
  /** Sends the activity's progress to its workflow as this signal (throttled). */
  readonly progressSignal?: string | undefined
  /** How often a running activity proves it is alive, even when its work reports nothing. */
  readonly heartbeatEvery?: Duration.Input | undefined
}

const PROGRESS_SIGNAL_INTERVAL_MS = 2000

const errorOf = (cause: Cause.Cause<unknown>): unknown => {
  const failure = cause.reasons.find(Cause.isFailReason)
  if (failure !== undefined) return failure.error
  const defect = cause.reasons.find(Cause.isDieReason)
  return defect?.defect ?? new Error(Cause.pretty(cause))
}

/** A sentence for the failure: its message, or for errors that carry none (StorageError) their fields and cause. */
const describe = (error: unknown, tag: string): string => {
  const message = error instanceof Error ? error.message : String(error)
  if (message !== "") return message
  const { operation, key, cause } = error as { operation?: unknown; key?: unknown; cause?: unknown }
  const because = cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause)
  return `${[tag, operation, key].filter((part) => typeof part === "string" && part !== "").join(" ")}${because === "" ? "" : `: ${because}`}`
}

/**
 * Runs an activity's Effect program at the Temporal boundary: heartbeats while it runs, turns the activity's
 * cancellation into interruption (which kills ffmpeg and removes temp files through their scopes), and turns
 * failures into ApplicationFailures (permanent ones non-retryable, everything else retryable).
 */
export const runActivity = async <A, E>(
  runtime: ActivityRuntime,
  program: Effect.Effect<A, E, ActivityServices | ActivityControl>,
  options: RunOptions = {}
): Promise<A> => {
  const context = ActivityContext.current()
  const signal = context.cancellationSignal
  let lastSignalAt = 0

  const control = ActivityControl.of({
    heartbeat: Effect.sync(() => context.heartbeat()),
    progress: (fraction) =>
      Effect.sync(() => {
        context.heartbeat(fraction)
        const now = Date.now()
        if (options.progressSignal === undefined || (now - lastSignalAt < PROGRESS_SIGNAL_INTERVAL_MS && fraction < 1)) return
        lastSignalAt = now
        const execution = context.info.workflowExecution
        if (execution === undefined) return
        // Progress is advice for a progress bar: a lost signal only makes the bar lag.
        context.client.workflow.getHandle(execution.workflowId, execution.runId)
          .signal(options.progressSignal, fraction)
          .catch(() => undefined)
      })
  })

  const withHeartbeats = Effect.gen(function*() {
    const beating = yield* Effect.forkChild(
      control.heartbeat.pipe(Effect.repeat(Schedule.spaced(options.heartbeatEvery ?? "5 seconds")))
    )
    return yield* program.pipe(Effect.ensuring(Fiber.interrupt(beating)))
  }).pipe(Effect.provideService(ActivityControl, control))

  const exit = await runtime.runPromiseExit(withHeartbeats, { signal })
  if (Exit.isSuccess(exit)) return exit.value
  // Reporting the cancellation itself tells Temporal the activity stopped as asked.
  if (signal.aborted) throw signal.reason instanceof CancelledFailure ? signal.reason : new CancelledFailure("Activity cancelled")

  const error = errorOf(exit.cause)
  const tag = Option.getOrElse(
    Option.fromNullishOr((error as { _tag?: unknown } | null)?._tag).pipe(Option.filter((t): t is string => typeof t === "string")),
    () => "ActivityError"
  )
  const message = describe(error, tag)
  const details = (error as { reason?: unknown } | null)?.reason
  if (PERMANENT_FAILURES.includes(tag)) {
    throw ApplicationFailure.nonRetryable(typeof details === "string" ? details : message, tag)
  }
  throw ApplicationFailure.retryable(message, tag)
}
