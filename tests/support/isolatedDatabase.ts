import { randomUUID } from "node:crypto"
import { NodeServices } from "@effect/platform-node"
import { DatabaseLayer, MigrationsLayer, VideoRepo, ViewsRepo } from "@reelbase/domain"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { services } from "./db.ts"

/**
 * A migrated database of its own on the test stack's Postgres. View resets zero counters on every video, so
 * tests that run them must not share the stack's database with tests that count views in parallel.
 */
const onStackDatabase = (statement: (client: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>) =>
  services.runPromise(SqlClient.SqlClient.use((client) => statement(client).pipe(Effect.orDie)))

export const isolatedDatabase = async (label: string) => {
  const name = `reelbase_${label}_${randomUUID().replaceAll("-", "").slice(0, 10)}`
  await onStackDatabase((client) => client`CREATE DATABASE ${client(name)}`)
  const url = new URL(process.env.DATABASE_URL!)
  url.pathname = `/${name}`
  const config = ConfigProvider.layer(ConfigProvider.fromEnv({ env: { ...process.env as Record<string, string>, DATABASE_URL: url.toString() } }))
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(VideoRepo.layer, ViewsRepo.layer).pipe(
      Layer.provideMerge(MigrationsLayer.pipe(Layer.provide(NodeServices.layer), Layer.provideMerge(DatabaseLayer))),
      Layer.provide(config)
    )
  )
  const query = <A extends object>(strings: TemplateStringsArray, ...values: Array<unknown>) =>
    runtime.runPromise(SqlClient.SqlClient.use((client) => client<A>(strings, ...values)))
  return {
    name,
    url: url.toString(),
    runtime,
    sql: query,
    drop: async () => {
      await runtime.dispose()
      await onStackDatabase((client) => client`DROP DATABASE IF EXISTS ${client(name)} WITH (FORCE)`)
    }
  }
}
