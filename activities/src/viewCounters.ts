import { MAX_VIEW_DEDUP_WINDOW_SECONDS, type ViewReset, ViewsRepo } from "@reelbase/domain"
import { ApplicationFailure } from "@temporalio/common"
import { Effect } from "effect"

export interface ResetViewCountersResult {
  readonly outcome: "Applied" | "AlreadyDone" | "Superseded"
  readonly videosReset: number
}

/**
 * Zeroes the period's counters once per closed period. A malformed period can never succeed (non-retryable);
 * a period that has not ended by the database's clock is retried, since clocks drift around midnight.
 */
export const resetViewCounters = Effect.fn("activities.resetViewCounters")(function*(reset: ViewReset) {
  const views = yield* ViewsRepo
  const outcome = yield* views.resetPeriod(reset).pipe(
    Effect.catchTags({
      InvalidPeriod: (error) => Effect.die(ApplicationFailure.nonRetryable(error.message, "InvalidPeriod")),
      PeriodNotEnded: (error) => Effect.die(ApplicationFailure.retryable(error.message, "PeriodNotEnded"))
    })
  )
  return {
    outcome: outcome._tag,
    videosReset: outcome._tag === "Superseded" ? 0 : outcome.videosReset
  } satisfies ResetViewCountersResult
})

/** Drops dedup claims no window can still use, so the claims table holds about a day of viewers at most. */
export const purgeViewClaims = Effect.fn("activities.purgeViewClaims")(function*() {
  const views = yield* ViewsRepo
  return yield* views.purgeClaims(MAX_VIEW_DEDUP_WINDOW_SECONDS)
})
