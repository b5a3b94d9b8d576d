import { Client, Connection } from "@temporalio/client"
import { Config, Context, Effect, Layer, Schema } from "effect"

export class TemporalError extends Schema.TaggedError<TemporalError>()("TemporalError", {
  operation: Schema.String,
  cause: Schema.Defect()
}) {}

/** The Temporal client, connected once for the life of the API process. */
export class Temporal extends Context.Service<Temporal, {
  readonly client: Client
  readonly ping: Effect.Effect<void, TemporalError>
  use<A>(operation: string, run: (client: Client) => Promise<A>): Effect.Effect<A, TemporalError>
}>()("@reelbase/api/Temporal") {
  static readonly layer = Layer.effect(
    Temporal,
    Effect.gen(function*() {
      const address = yield* Config.String("TEMPORAL_ADDRESS").pipe(Config.withDefault("127.0.0.1:7233"))
      const namespace = yield* Config.String("TEMPORAL_NAMESPACE").pipe(Config.withDefault("default"))
      // Connection.lazy: the API starts (and answers /health, /ready) even while Temporal is down.
      const connection = yield* Effect.acquireRelease(
        Effect.sync(() => Connection.lazy({ address, connectTimeout: "5 seconds" })),
        (connection) => Effect.promise(() => connection.close())
      )
      const client = new Client({ connection, namespace })

      const use = <A>(operation: string, run: (client: Client) => Promise<A>) =>
        Effect.tryPromise({
          try: () => run(client),
          catch: (cause) => new TemporalError({ operation, cause })
        }).pipe(Effect.withSpan(`Temporal.${operation}`))

      const ping = use("ping", (client) =>
        client.connection.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({}))).pipe(
          Effect.asVoid
        )

      return Temporal.of({ client, ping, use })
    })
  )
}
