import { createHash } from "node:crypto"
import { Array as Arr, Cause, Context, Effect, Exit, Layer, Option, Request, RequestResolver, Schema } from "effect"
import type { NonEmptyArray } from "effect/Array"
import { SqlClient } from "effect/sql"
import type { Video, VideoId } from "./Video.ts"
import { periodStart, type ViewPeriod } from "./ViewPeriod.ts"
import { NumberFromBigInt, VideoFromRow, videoColumnList } from "./VideoRepo.ts"

export interface ViewToRecord {
  readonly videoId: VideoId
  readonly ip: string
  readonly userAgent: string | null
  /** Repeated views of the same ip + user agent within this many seconds count once; 0 counts every view. */
  readonly dedupWindowSeconds: number
  /** Whether the caller proved it may see the video should it be PRIVATE. */
  readonly allowPrivate: boolean
}

export type RecordOutcome =
  | { readonly _tag: "Counted" }
  /** The same viewer was counted within the dedup window. */
  | { readonly _tag: "Repeated" }
  | { readonly _tag: "NotFound" }
  /** The video is PRIVATE and the caller did not prove access: nothing was recorded. */
  | { readonly _tag: "Private" }

export interface DailyViews {
  /** A UTC day, `YYYY-MM-DD`. */
  readonly date: string
  readonly views: number
}

export type TopPeriod = ViewPeriod | "all"

export interface ViewReset {
  readonly period: ViewPeriod
  /** The period that ended: `YYYY-MM-DD` for a day, `YYYY-MM` for a month. */
  readonly closes: string
}

export type ResetOutcome =
  /** The counter was zeroed on every video that had views. */
  | { readonly _tag: "Applied"; readonly videosReset: number; readonly resetAt: Date }
  /** This period was already closed (a retry or a re-run): nothing changed now. */
  | { readonly _tag: "AlreadyDone"; readonly videosReset: number; readonly resetAt: Date }
  /** A later period was already closed, so zeroing now would drop its views: recorded, nothing changed. */
  | { readonly _tag: "Superseded" }

export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  message: Schema.String
}) {}

/** The period asked to be closed has not ended by the database's clock (yet). */
export class PeriodNotEnded extends Schema.TaggedError<PeriodNotEnded>()("PeriodNotEnded", {
  message: Schema.String
}) {}

/** The longest dedup window the API accepts; claims older than this can never matter again. */
export const MAX_VIEW_DEDUP_WINDOW_SECONDS = 86_400

const COUNTER_COLUMN = { day: "views_today", month: "views_month", all: "views_total" } as const
const SINCE_COLUMN = { day: "views_today_since", month: "views_month_since" } as const

/**
 * A viewer for the dedup window: ip and user agent hashed into a uuid, so the claim key stays small
 * however long the user agent is.
 */
export const viewerKey = (ip: string, userAgent: string | null): string => {
  const hex = createHash("sha256").update(ip).update("\n").update(userAgent ?? "").digest("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

const RecordRow = Schema.Struct({ visibility: Schema.NullOr(Schema.String), counted: Schema.Boolean })

/** The most views one statement counts; more waiting views make the next batch. */
const MAX_BATCH = 256
/** The viewer key when there is no dedup window: nothing is claimed, so it is never stored. */
const NO_VIEWER = "00000000-0000-0000-0000-000000000000"

const COUNTED: RecordOutcome = { _tag: "Counted" }
const REPEATED: RecordOutcome = { _tag: "Repeated" }
const NOT_FOUND: RecordOutcome = { _tag: "NotFound" }
const PRIVATE: RecordOutcome = { _tag: "Private" }

class RecordView extends Request.Class<{ readonly view: ViewToRecord }, RecordOutcome> {}

const DailyRow = Schema.Struct({ date: Schema.String, views: NumberFromBigInt })
const ResetRow = Schema.Struct({ outcome: Schema.String, videosReset: Schema.Number, resetAt: Schema.Date })

/** View counting, the per-day history and the periodic resets: the only place SQL about views lives. */
export class ViewsRepo extends Context.Service<ViewsRepo, {
  /**
   * Logs one view and bumps the three counters and the day's total in one transaction, which it shares with the
   * views that arrived at the same moment (one statement per batch).
   */
  record(view: ViewToRecord): Effect.Effect<RecordOutcome>
  /** Views per UTC day for the last `days` days up to today, oldest first, zero-filled. */
  daily(videoId: VideoId, days: number): Effect.Effect<ReadonlyArray<DailyViews>>
  /** The most-viewed public, watchable videos of the period. */
  top(period: TopPeriod, limit: number): Effect.Effect<ReadonlyArray<Video>>
  /** Zeroes the period's counter on every video, once per closed period. */
  resetPeriod(reset: ViewReset): Effect.Effect<ResetOutcome, InvalidPeriod | PeriodNotEnded>
  /** Forgets dedup claims older than the longest window; returns how many went. */
  purgeClaims(olderThanSeconds: number): Effect.Effect<number>
}>()("@reelbase/domain/ViewsRepo") {
  static readonly layer = Layer.effect(
    ViewsRepo,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const videoColumns = sql.literal(videoColumnList)
      const decodeRecordRows = Schema.decodeUnknownEffect(Schema.Array(RecordRow))
      const decodeDaily = Schema.decodeUnknownEffect(Schema.Array(DailyRow))
      const decodeVideos = Schema.decodeUnknownEffect(Schema.Array(VideoFromRow))
      const decodeReset = Schema.decodeUnknownEffect(Schema.Array(ResetRow))

      // Views are counted in batches: the views that arrive while the event loop is busy go to Postgres as one
      // statement and one commit, which is what lets a durable Postgres keep up with thousands per second.
      // Inside the statement, per video, in order:
      // 1. lock the batch's videos in id order (as resets do), so batches sharing videos queue, never deadlock;
      // 2. claim the (video, viewer) dedup key: the primary key makes two identical views racing each other
      //    count once, and counted_at decides when the viewer counts again;
      // 3. bump the counters; the row lock is ours, so the log rows are stamped no earlier than the row's reset
      //    stamps: a view racing a reset lands before it (zeroed with it) or after its stamp, never in between;
      // 4. log each view and add the batch's views to the day's total.
      const recordBatch = (views: NonEmptyArray<ViewToRecord>, windowSeconds: number) => {
        const claim = windowSeconds > 0
          ? sql`
              INSERT INTO video_view_claims AS claim (video_id, viewer, counted_at)
              SELECT DISTINCT ON (video_id, viewer) video_id, viewer, clock_timestamp() FROM visible
              ORDER BY video_id, viewer
              ON CONFLICT (video_id, viewer) DO UPDATE SET counted_at = excluded.counted_at
              WHERE claim.counted_at <= excluded.counted_at - make_interval(secs => ${windowSeconds})
              RETURNING video_id, viewer`
          : sql`SELECT video_id, viewer FROM visible WHERE false`
        // Without a window every visible view counts; with one, the first view of each claimed viewer.
        const counting = windowSeconds > 0
          ? sql`SELECT DISTINCT ON (v.video_id, v.viewer) v.* FROM visible v JOIN claimed USING (video_id, viewer) ORDER BY v.video_id, v.viewer, v.ord`
          : sql`SELECT * FROM visible`
        return sql`
          WITH input AS (
            SELECT * FROM unnest(
              ${views.map((view) => view.videoId)}::uuid[],
              ${views.map((view) => (windowSeconds > 0 ? viewerKey(view.ip, view.userAgent) : NO_VIEWER))}::uuid[],
              ${views.map((view) => view.ip)}::text[],
              ${views.map((view) => view.userAgent ?? "")}::text[],
              ${views.map((view) => view.allowPrivate)}::bool[]
            ) WITH ORDINALITY AS input (video_id, viewer, ip, user_agent, allow_private, ord)
          ), target AS MATERIALIZED (
            SELECT id, visibility FROM videos WHERE id IN (SELECT video_id FROM input) ORDER BY id FOR NO KEY UPDATE
          ), visible AS (
            SELECT input.* FROM input JOIN target ON target.id = input.video_id
            WHERE target.visibility <> 'PRIVATE' OR input.allow_private
          ), claimed AS (
            ${claim}
          ), counting AS MATERIALIZED (
            ${counting}
          ), per_video AS (
            SELECT video_id, count(*) AS views FROM counting GROUP BY video_id
          ), counted AS (
            UPDATE videos
            SET views_today = views_today + per_video.views,
                views_month = views_month + per_video.views,
                views_total = views_total + per_video.views
            FROM per_video WHERE videos.id = per_video.video_id
            RETURNING videos.id, GREATEST(clock_timestamp(), views_today_since, views_month_since) AS viewed_at
          ), logged AS (
            INSERT INTO video_view_logs (video_id, viewed_at, ip, user_agent)
            SELECT counting.video_id, counted.viewed_at, counting.ip, NULLIF(counting.user_agent, '')
            FROM counting JOIN counted ON counted.id = counting.video_id
            RETURNING video_id, viewed_at
          ), per_day AS (
            INSERT INTO video_views_daily AS daily (video_id, day, views)
            SELECT video_id, (viewed_at AT TIME ZONE 'UTC')::date, count(*) FROM logged GROUP BY 1, 2
            ON CONFLICT (video_id, day) DO UPDATE SET views = daily.views + excluded.views
          )
          SELECT input.ord, target.visibility::text AS visibility,
            EXISTS (SELECT 1 FROM counting WHERE counting.ord = input.ord) AS counted
          FROM input LEFT JOIN target ON target.id = input.video_id
          ORDER BY input.ord
        `.pipe(
          Effect.flatMap(decodeRecordRows),
          Effect.map((rows) =>
            rows.map((row, index): RecordOutcome => {
              if (row.visibility === null) return NOT_FOUND
              if (row.counted) return COUNTED
              if (row.visibility === "PRIVATE" && !views[index]!.allowPrivate) return PRIVATE
              return REPEATED
            })
          ),
          Effect.withSpan("ViewsRepo.recordBatch", { attributes: { views: views.length } })
        )
      }

      // Batches form from whatever views arrive before the fiber scheduler's next turn, up to MAX_BATCH; one
      // window per batch, since the claim statement takes it as a constant.
      const resolver = RequestResolver.makeGrouped<RecordView, number>({
        key: ({ request }) => request.view.dedupWindowSeconds,
        resolver: (entries, windowSeconds) =>
          recordBatch(Arr.map(entries, (entry) => entry.request.view), windowSeconds).pipe(
            Effect.matchCause({
              onSuccess: (outcomes) => entries.forEach((entry, index) => entry.completeUnsafe(Exit.succeed(outcomes[index]!))),
              onFailure: (cause) => entries.forEach((entry) => entry.completeUnsafe(Exit.die(Cause.squash(cause))))
            })
          )
      }).pipe(RequestResolver.batchN(MAX_BATCH))

      const record = Effect.fn("ViewsRepo.record")((view: ViewToRecord) => Effect.request(new RecordView({ view }), resolver))

      const daily = Effect.fn("ViewsRepo.daily")(function*(videoId: VideoId, days: number) {
        const rows = yield* sql`
          SELECT to_char(d.day, 'YYYY-MM-DD') AS date, COALESCE(v.views, 0)::bigint AS views
          FROM generate_series(
            (now() AT TIME ZONE 'UTC')::date - ${days - 1}::int,
            (now() AT TIME ZONE 'UTC')::date,
            interval '1 day'
          ) AS d (day)
          LEFT JOIN video_views_daily v ON v.video_id = ${videoId} AND v.day = d.day::date
          ORDER BY d.day
        `
        return yield* decodeDaily(rows)
      }, Effect.orDie)

      const top = Effect.fn("ViewsRepo.top")(function*(period: TopPeriod, limit: number) {
        const counter = sql.literal(COUNTER_COLUMN[period])
        // No index on the counters: they change on every view and an index would cost each view a non-HOT
        // update; a top-N sort over the public rows is cheap at catalog sizes.
        const rows = yield* sql`
          SELECT ${videoColumns} FROM videos
          WHERE visibility = 'PUBLIC' AND status IN ('READY', 'LIVE') AND ${counter} > 0
          ORDER BY ${counter} DESC, created_at DESC, id DESC
          LIMIT ${limit}
        `
        return yield* decodeVideos(rows)
      }, Effect.orDie)

      const resetPeriod = Effect.fn("ViewsRepo.resetPeriod")(function*(reset: ViewReset) {
        const start = yield* Option.match(periodStart(reset.period, reset.closes), {
          onNone: () =>
            Effect.fail(
              new InvalidPeriod({
                message: `closes must name a ${reset.period === "day" ? "day as YYYY-MM-DD" : "month as YYYY-MM"}, got ${
                  JSON.stringify(reset.closes)
                }`
              })
            ),
          onSome: Effect.succeed
        })
        const counter = sql.literal(COUNTER_COLUMN[reset.period])
        const since = sql.literal(SINCE_COLUMN[reset.period])
        const unit = sql.literal(reset.period === "day" ? "'day'" : "'month'")

        return yield* sql.withTransaction(Effect.gen(function*() {
          // Resets of one period run one at a time, so "a later period is already closed" cannot change under us.
          yield* sql`SELECT pg_advisory_xact_lock(hashtext(${`reelbase.view_reset.${reset.period}`}))`
          const [clock] = yield* sql<{ ended: boolean }>`
            SELECT ${start}::date < date_trunc(${unit}, now() AT TIME ZONE 'UTC')::date AS ended`
          if (clock?.ended !== true) {
            return yield* new PeriodNotEnded({ message: `The ${reset.period} ${reset.closes} has not ended yet` })
          }
          const claimed = yield* sql`
            INSERT INTO view_resets (period, closes, outcome) VALUES (${reset.period}, ${start}::date, 'applied')
            ON CONFLICT (period, closes) DO NOTHING
            RETURNING period`
          if (claimed.length === 0) {
            const [done] = yield* decodeReset(
              yield* sql`SELECT outcome, videos_reset, reset_at FROM view_resets WHERE period = ${reset.period} AND closes = ${start}::date`
            )
            if (done === undefined || done.outcome === "superseded") return { _tag: "Superseded" } as const
            return { _tag: "AlreadyDone", videosReset: done.videosReset, resetAt: done.resetAt } as const
          }
          const later = yield* sql`
            SELECT 1 FROM view_resets WHERE period = ${reset.period} AND closes > ${start}::date AND outcome = 'applied' LIMIT 1`
          if (later.length > 0) {
            yield* sql`UPDATE view_resets SET outcome = 'superseded' WHERE period = ${reset.period} AND closes = ${start}::date`
            return { _tag: "Superseded" } as const
          }
          // Rows are locked in id order, as view batches lock them, so the two queue instead of deadlocking.
          // clock_timestamp(), not now(): evaluated once the row lock is ours, after any view that held it
          // committed, so such a view's log row is older than the stamp and one that waits for us is newer.
          const [zeroed] = yield* decodeReset(yield* sql`
            WITH locked AS MATERIALIZED (
              SELECT id FROM videos WHERE ${counter} <> 0 ORDER BY id FOR NO KEY UPDATE
            ), zeroed AS (
              UPDATE videos SET ${counter} = 0, ${since} = clock_timestamp(), last_view_reset = clock_timestamp()
              FROM locked WHERE videos.id = locked.id
              RETURNING 1
            )
            UPDATE view_resets SET videos_reset = (SELECT count(*) FROM zeroed), reset_at = clock_timestamp()
            WHERE period = ${reset.period} AND closes = ${start}::date
            RETURNING outcome, videos_reset, reset_at
          `)
          return { _tag: "Applied", videosReset: zeroed?.videosReset ?? 0, resetAt: zeroed?.resetAt ?? new Date() } as const
        })).pipe(Effect.catchTag(["SqlError", "SchemaError"], Effect.die))
      })

      const purgeClaims = Effect.fn("ViewsRepo.purgeClaims")(function*(olderThanSeconds: number) {
        const rows = yield* sql<{ purged: bigint }>`
          WITH gone AS (
            DELETE FROM video_view_claims WHERE counted_at < now() - make_interval(secs => ${olderThanSeconds})
            RETURNING 1
          )
          SELECT count(*) AS purged FROM gone`
        return Number(rows[0]?.purged ?? 0)
      }, Effect.orDie)

      return ViewsRepo.of({ record, daily, top, resetPeriod, purgeClaims })
    })
  )
}
