import { createHash } from "node:crypto"
import { Context, Effect, Layer, Option, Schema } from "effect"
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

const RecordRow = Schema.Struct({ visibility: Schema.String, counted: Schema.Boolean })
const DailyRow = Schema.Struct({ date: Schema.String, views: NumberFromBigInt })
const ResetRow = Schema.Struct({ outcome: Schema.String, videosReset: Schema.Number, resetAt: Schema.Date })

/** View counting, the per-day history and the periodic resets: the only place SQL about views lives. */
export class ViewsRepo extends Context.Service<ViewsRepo, {
  /** Logs one view and bumps the three counters and the day's total, all in one statement. */
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
      const decodeRecordRow = Schema.decodeUnknownEffect(Schema.Array(RecordRow))
      const decodeDaily = Schema.decodeUnknownEffect(Schema.Array(DailyRow))
      const decodeVideos = Schema.decodeUnknownEffect(Schema.Array(VideoFromRow))
      const decodeReset = Schema.decodeUnknownEffect(Schema.Array(ResetRow))

      // The view counts only if the claim CTE yields the video; everything after it hangs off that one row, so
      // the whole chain commits or rolls back together. The counter UPDATE takes the row lock first, and the log
      // row is stamped no earlier than the row's reset stamps it saw under that lock: a view racing a reset lands
      // either before the reset (zeroed with it) or after it (logged after the new stamp), never in between.
      const record = Effect.fnUntraced(function*(view: ViewToRecord) {
        const visible = view.allowPrivate ? sql.literal("true") : sql.literal("visibility <> 'PRIVATE'")
        const claim = view.dedupWindowSeconds > 0
          ? sql`
              INSERT INTO video_view_claims AS claim (video_id, viewer, counted_at)
              SELECT id, ${viewerKey(view.ip, view.userAgent)}, clock_timestamp() FROM target
              ON CONFLICT (video_id, viewer) DO UPDATE SET counted_at = excluded.counted_at
              WHERE claim.counted_at <= excluded.counted_at - make_interval(secs => ${view.dedupWindowSeconds})
              RETURNING video_id`
          : sql`SELECT id AS video_id FROM target`
        const rows = yield* sql`
          WITH target AS (
            SELECT id FROM videos WHERE id = ${view.videoId} AND ${visible}
          ), claim AS (
            ${claim}
          ), counted AS (
            UPDATE videos
            SET views_today = views_today + 1, views_month = views_month + 1, views_total = views_total + 1
            WHERE id = ${view.videoId} AND EXISTS (SELECT 1 FROM claim)
            RETURNING id, GREATEST(clock_timestamp(), views_today_since, views_month_since) AS viewed_at
          ), logged AS (
            INSERT INTO video_view_logs (video_id, viewed_at, ip, user_agent)
            SELECT id, viewed_at, ${view.ip}, ${view.userAgent} FROM counted
            RETURNING video_id, viewed_at
          ), per_day AS (
            INSERT INTO video_views_daily AS daily (video_id, day, views)
            SELECT video_id, (viewed_at AT TIME ZONE 'UTC')::date, 1 FROM logged
            ON CONFLICT (video_id, day) DO UPDATE SET views = daily.views + 1
          )
          SELECT visibility::text AS visibility, EXISTS (SELECT 1 FROM counted) AS counted
          FROM videos WHERE id = ${view.videoId}
        `
        const [row] = yield* decodeRecordRow(rows)
        if (row === undefined) return { _tag: "NotFound" } as const
        if (row.counted) return { _tag: "Counted" } as const
        if (row.visibility === "PRIVATE" && !view.allowPrivate) return { _tag: "Private" } as const
        return { _tag: "Repeated" } as const
      }, Effect.orDie)

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
          // clock_timestamp(), not now(): evaluated once the row lock is ours, after any view that held it
          // committed, so such a view's log row is older than the stamp and one that waits for us is newer.
          const [zeroed] = yield* decodeReset(yield* sql`
            WITH zeroed AS (
              UPDATE videos SET ${counter} = 0, ${since} = clock_timestamp(), last_view_reset = clock_timestamp()
              WHERE ${counter} <> 0
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
