import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TYPE video_status AS ENUM ('PENDING', 'PROCESSING', 'READY', 'FAILED', 'LIVE')`
  yield* sql`CREATE TYPE video_visibility AS ENUM ('PUBLIC', 'UNLISTED', 'PRIVATE')`
  yield* sql`CREATE TYPE video_type AS ENUM ('VOD', 'LIVE')`
  yield* sql`
    CREATE TABLE videos (
      id uuid PRIMARY KEY,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
      status video_status NOT NULL DEFAULT 'PENDING',
      visibility video_visibility NOT NULL DEFAULT 'PUBLIC',
      video_type video_type NOT NULL DEFAULT 'VOD',
      duration_seconds double precision,
      thumbnail_key text,
      original_key text,
      original_size bigint,
      original_format text,
      hls_manifest_key text,
      stream_key_hash text,
      is_live_now boolean NOT NULL DEFAULT false,
      views_today bigint NOT NULL DEFAULT 0,
      views_month bigint NOT NULL DEFAULT 0,
      views_total bigint NOT NULL DEFAULT 0,
      last_view_reset timestamptz,
      failure_reason text,
      manage_token_hash text NOT NULL,
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')
      ) STORED,
      -- Millisecond precision: catalog cursors carry JavaScript dates.
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )
  `
  // The catalog pages newest first over public videos; the index matches that order exactly.
  yield* sql`CREATE INDEX videos_public_newest_idx ON videos (created_at DESC, id DESC) WHERE visibility = 'PUBLIC'`
  yield* sql`CREATE INDEX videos_search_idx ON videos USING gin (search)`
  yield* sql`CREATE INDEX videos_live_now_idx ON videos (is_live_now) WHERE is_live_now`
  yield* sql`
    CREATE TABLE video_variants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
      resolution text NOT NULL,
      width integer NOT NULL,
      height integer NOT NULL,
      bitrate integer NOT NULL,
      codec text NOT NULL,
      format text NOT NULL DEFAULT 'hls',
      storage_key text NOT NULL,
      size_bytes bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (video_id, resolution)
    )
  `
  yield* sql`
    CREATE TABLE video_view_logs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
      viewed_at timestamptz NOT NULL DEFAULT now(),
      ip text,
      user_agent text
    )
  `
  yield* sql`CREATE INDEX video_view_logs_video_time_idx ON video_view_logs (video_id, viewed_at)`
})
