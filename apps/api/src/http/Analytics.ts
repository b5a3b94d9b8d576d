import { ViewsRepo } from "@reelbase/domain"
import { Effect, Option } from "effect"
import { HttpMiddleware, HttpServerRequest } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { clientAddress } from "../analytics/ClientAddress.ts"
import { Api } from "../api/Api.ts"
import { VideoNotFound } from "../api/Errors.ts"
import { PresentedToken } from "../api/Security.ts"
import { ApiConfig } from "../Config.ts"
import { VideoAccess } from "../VideoAccess.ts"
import { VideoPresenter } from "../VideoPresenter.ts"

const DEFAULT_DAYS = 30
const DEFAULT_TOP = 10
/** User agents are logged for analysis, not kept whole: a client could send kilobytes. */
const MAX_USER_AGENT = 512

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return value === undefined || value === "" ? undefined : value
}

export const AnalyticsHandlers = HttpApiBuilder.group(
  Api,
  "analytics",
  Effect.fn(function*(handlers) {
    const views = yield* ViewsRepo
    const access = yield* VideoAccess
    const presenter = yield* VideoPresenter
    const { trustProxy, viewDedupWindowSeconds } = yield* ApiConfig

    return handlers.handleAll({
      view: Effect.fn("Analytics.view")(function*({ params, request }) {
        const view = {
          videoId: params.videoId,
          ip: clientAddress(trustProxy, {
            peer: Option.getOrUndefined(request.remoteAddress),
            xForwardedFor: header(request, "x-forwarded-for"),
            xRealIp: header(request, "x-real-ip")
          }),
          userAgent: header(request, "user-agent")?.slice(0, MAX_USER_AGENT) ?? null,
          dedupWindowSeconds: viewDedupWindowSeconds,
          allowPrivate: false
        }
        let outcome = yield* views.record(view)
        // Public and unlisted videos are counted in one round trip; only a private one costs a token check.
        if (outcome._tag === "Private") {
          yield* access.readable(params.videoId, yield* PresentedToken)
          outcome = yield* views.record({ ...view, allowPrivate: true })
        }
        if (outcome._tag === "NotFound" || outcome._tag === "Private") return yield* VideoNotFound.forId(params.videoId)
        return { success: true as const }
      }, HttpMiddleware.withLoggerDisabled),

      stats: Effect.fn("Analytics.stats")(function*({ params }) {
        const video = yield* access.readable(params.videoId, yield* PresentedToken)
        return { viewsToday: video.viewsToday, viewsMonth: video.viewsMonth, viewsTotal: video.viewsTotal }
      }),

      daily: Effect.fn("Analytics.daily")(function*({ params, query }) {
        const video = yield* access.readable(params.videoId, yield* PresentedToken)
        return { videoId: video.id, days: yield* views.daily(video.id, query.days ?? DEFAULT_DAYS) }
      }),

      top: Effect.fn("Analytics.top")(function*({ query }) {
        const period = query.period ?? "day"
        const videos = yield* views.top(period, query.limit ?? DEFAULT_TOP)
        return { period, items: videos.map(presenter.summary) }
      })
    })
  })
)
