import { VideoId } from "@reelbase/domain"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { BadRequest, VideoNotFound } from "./Errors.ts"
import { OptionalBearer } from "./Security.ts"
import { VideoJson } from "./Videos.ts"

export const ViewRecorded = Schema.Struct({ success: Schema.Literal(true) })

export const ViewStats = Schema.Struct({
  viewsToday: Schema.Number,
  viewsMonth: Schema.Number,
  viewsTotal: Schema.Number
})

export const MAX_DAILY_DAYS = 365

export const DailyViewsJson = Schema.Struct({
  videoId: VideoId,
  /** Oldest first, one entry per UTC day up to and including today, zero-filled. */
  days: Schema.Array(Schema.Struct({ date: Schema.String, views: Schema.Number }))
})

export const TopPeriod = Schema.Literals(["day", "month", "all"])

export const TopVideos = Schema.Struct({
  period: TopPeriod,
  items: Schema.Array(VideoJson)
})

const Days = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: MAX_DAILY_DAYS }))
const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 100 }))

export class AnalyticsApi extends HttpApiGroup.make("analytics")
  .add(
    HttpApiEndpoint.post("view", "/view/:videoId", {
      params: { videoId: VideoId },
      success: ViewRecorded,
      error: VideoNotFound
    }).annotate(
      OpenApi.Description,
      "Counts one view: a log row (client ip, user agent) and +1 on today, this month and total, in one transaction. " +
        "Repeats by the same ip and user agent within VIEW_DEDUP_WINDOW_SECONDS count once. " +
        "PRIVATE videos need their manage token (or the admin token) as a bearer token."
    ),
    HttpApiEndpoint.get("stats", "/stats/:videoId", {
      params: { videoId: VideoId },
      success: ViewStats,
      error: VideoNotFound
    }).annotate(OpenApi.Description, "The video's view counters."),
    HttpApiEndpoint.get("daily", "/stats/:videoId/daily", {
      params: { videoId: VideoId },
      query: { days: Schema.optional(Days) },
      success: DailyViewsJson,
      error: [VideoNotFound, BadRequest]
    }).annotate(
      OpenApi.Description,
      `Views per UTC day for the last \`days\` days (default 30, at most ${MAX_DAILY_DAYS}), zero-filled, for a chart.`
    ),
    HttpApiEndpoint.get("top", "/top", {
      query: { period: Schema.optional(TopPeriod), limit: Schema.optional(Limit) },
      success: TopVideos,
      error: BadRequest
    }).annotate(
      OpenApi.Description,
      "The most-viewed public, watchable videos of today (`period=day`, the default), this month, or all time; " +
        "`limit` 1-100, default 10."
    )
  )
  .middleware(OptionalBearer)
  .prefix("/api/analytics")
  .annotateMerge(OpenApi.annotations({ title: "Analytics", description: "View counts and their history" }))
{}
