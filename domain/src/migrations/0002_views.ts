import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // When each counter last restarted from zero (null: never). Every view is logged at or after the stamps of the
  // row it counted on, so views_today equals the logged views since views_today_since even across a reset.
  yield* sql`ALTER TABLE videos ADD COLUMN views_today_since timestamptz, ADD COLUMN views_month_since timestamptz`

  // One row per (video, viewer) while a viewer's repeated views are being collapsed: the primary key is the atomic
  // claim two identical requests race for, and counted_at decides when the next view counts again.
  yield* sql`
    CREATE TABLE video_view_claims (
      video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
      viewer uuid NOT NULL,
      counted_at timestamptz NOT NULL,
      PRIMARY KEY (video_id, viewer)
    )
  `
  // Purging stale claims scans by age.
  yield* sql`CREATE INDEX video_view_claims_counted_at_idx ON video_view_claims (counted_at)`

  // Views per video per UTC day, kept in the same statement as the log row: the chart reads at most a year of
  // rows per video instead of counting millions of log rows.
  yield* sql`
    CREATE TABLE video_views_daily (
      video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
      day date NOT NULL,
      views bigint NOT NULL,
      PRIMARY KEY (video_id, day)
    )
  `

  // One row per reset that ran, keyed by the period it closed: a retried or repeated reset finds its row and
  // changes nothing.
  yield* sql`
    CREATE TABLE view_resets (
      period text NOT NULL CHECK (period IN ('day', 'month')),
      closes date NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'superseded')),
      videos_reset integer NOT NULL DEFAULT 0,
      reset_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (period, closes)
    )
  `
})
