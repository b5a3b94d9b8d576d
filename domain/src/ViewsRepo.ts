import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"

export type ViewPeriod = "day" | "month"

/** View counters and their periodic resets. */
export class ViewsRepo extends Context.Service<ViewsRepo, {
  /** Zeroes the period's counter on every video; returns how many rows changed. */
  resetPeriod(period: ViewPeriod): Effect.Effect<number>
}>()("@reelbase/domain/ViewsRepo") {
  static readonly layer = Layer.effect(
    ViewsRepo,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient

      const resetPeriod = Effect.fn("ViewsRepo.resetPeriod")(function*(period: ViewPeriod) {
        const rows = period === "day"
          ? yield* sql`UPDATE videos SET views_today = 0, last_view_reset = now() WHERE views_today <> 0 RETURNING id`
          : yield* sql`UPDATE videos SET views_month = 0, last_view_reset = now() WHERE views_month <> 0 RETURNING id`
        return rows.length
      }, Effect.orDie)

      return ViewsRepo.of({ resetPeriod })
    })
  )
}
