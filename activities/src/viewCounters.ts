import { type ViewPeriod, ViewsRepo } from "@reelbase/domain"
import { Effect } from "effect"

export const resetViewCounters = Effect.fn("activities.resetViewCounters")(function*(period: ViewPeriod) {
  const views = yield* ViewsRepo
  return yield* views.resetPeriod(period)
})
