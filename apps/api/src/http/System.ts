import { Storage } from "@reelbase/domain"
import { Duration, Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { SqlClient } from "effect/sql"
import { Api } from "../api/Api.ts"
import { NotReady } from "../api/System.ts"
import { Temporal } from "../Temporal.ts"

const check = <E, R>(effect: Effect.Effect<unknown, E, R>) =>
  effect.pipe(
    Effect.timeout(Duration.seconds(3)),
    Effect.as("ok"),
    Effect.catchCause((cause) => Effect.succeed(`down: ${String(cause).split("\n")[0]}`))
  )

export const SystemHandlers = HttpApiBuilder.group(
  Api,
  "system",
  Effect.fn(function*(handlers) {
    const sql = yield* SqlClient.SqlClient
    const storage = yield* Storage
    const temporal = yield* Temporal

    return handlers.handleAll({
      health: () => Effect.succeed({ status: "ok" as const }),
      ready: Effect.fn("System.ready")(function*() {
        const [postgres, storageStatus, temporalStatus] = yield* Effect.all(
          [check(sql`SELECT 1`), check(storage.ping), check(temporal.ping)],
          { concurrency: "unbounded" }
        )
        const checks = { postgres, storage: storageStatus, temporal: temporalStatus }
        const down = Object.entries(checks).filter(([, status]) => status !== "ok").map(([name]) => name)
        if (down.length > 0) return yield* new NotReady({ message: `Not ready: ${down.join(", ")} unavailable`, checks })
        return { status: "ready" as const, checks }
      })
    })
  })
)
