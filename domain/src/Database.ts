import { PgClient } from "@effect/sql-pg"
import { Config, String } from "effect"

/** Column names repeat on every row: convert each once, not once per row. */
const memoized = (convert: (name: string) => string) => {
  const seen = new Map<string, string>()
  return (name: string) => {
    let converted = seen.get(name)
    if (converted === undefined) {
      converted = convert(name)
      if (seen.size < 10_000) seen.set(name, converted)
    }
    return converted
  }
}

/** The Postgres pool every process uses; column names are snake_case in SQL and camelCase in code. */
export const DatabaseLayer = PgClient.layerConfig({
  url: Config.Redacted("DATABASE_URL"),
  maxConnections: Config.Int("DATABASE_POOL_SIZE").pipe(Config.withDefault(20)),
  transformQueryNames: Config.succeed(memoized(String.camelToSnake)),
  transformResultNames: Config.succeed(memoized(String.snakeToCamel)),
  applicationName: Config.String("DATABASE_APPLICATION_NAME").pipe(Config.withDefault("reelbase"))
})
