import { PgClient } from "@effect/sql-pg"
import { Config, String } from "effect"

/** The Postgres pool every process uses; column names are snake_case in SQL and camelCase in code. */
export const DatabaseLayer = PgClient.layerConfig({
  url: Config.Redacted("DATABASE_URL"),
  maxConnections: Config.Int("DATABASE_POOL_SIZE").pipe(Config.withDefault(20)),
  transformQueryNames: Config.succeed(String.camelToSnake),
  transformResultNames: Config.succeed(String.snakeToCamel),
  applicationName: Config.String("DATABASE_APPLICATION_NAME").pipe(Config.withDefault("reelbase"))
})
