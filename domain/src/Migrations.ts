import { PgMigrator } from "@effect/sql-pg"
import { Migrator } from "effect/sql"
import createVideos from "./migrations/0001_create_videos.ts"
import views from "./migrations/0002_views.ts"
import liveSessions from "./migrations/0004_live_sessions.ts"

/**
 * Forward-only migrations, in order. Add a file under migrations/ and a line here;
 * never edit one that has shipped.
 */
export const migrations = Migrator.fromRecord({
  "0001_create_videos": createVideos,
  "0002_views": views,
  "0004_live_sessions": liveSessions
})

/** Runs every pending migration; Postgres' table lock keeps concurrent starters from racing. */
export const MigrationsLayer = PgMigrator.layer({ loader: migrations })
