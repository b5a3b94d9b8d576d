import { Effect } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../api/Api.ts"
import { PresentedToken } from "../api/Security.ts"
import { ApiConfig } from "../Config.ts"
import { Uploads } from "../Uploads.ts"
import { VideoAccess } from "../VideoAccess.ts"

/** A browser's form post (no JavaScript) wants a page, not JSON. */
const wantsHtml = (request: HttpServerRequest.HttpServerRequest) => (request.headers.accept ?? "").includes("text/html")

export const UploadHandlers = HttpApiBuilder.group(
  Api,
  "upload",
  Effect.fn(function*(handlers) {
    const uploads = yield* Uploads
    const access = yield* VideoAccess
    const { siteOrigin } = yield* ApiConfig

    const manageable = Effect.fn("Upload.manageable")(function*(videoId: Parameters<typeof access.manageable>[0]) {
      return yield* access.manageable(videoId, yield* PresentedToken)
    })

    return handlers.handleAll({
      presign: Effect.fn("Upload.presign")(function*({ payload }) {
        return yield* uploads.presign(payload)
      }),

      createMultipart: Effect.fn("Upload.createMultipart")(function*({ payload }) {
        return yield* uploads.createMultipart(payload)
      }),

      freshUrl: Effect.fn("Upload.freshUrl")(function*({ params }) {
        return yield* uploads.freshUrl(yield* manageable(params.videoId))
      }),

      partUrls: Effect.fn("Upload.partUrls")(function*({ params, payload }) {
        return yield* uploads.partUrls(yield* manageable(params.videoId), payload.uploadId, payload.partNumbers)
      }),

      storedParts: Effect.fn("Upload.storedParts")(function*({ params, query }) {
        return yield* uploads.storedParts(yield* manageable(params.videoId), query.uploadId)
      }),

      complete: Effect.fn("Upload.complete")(function*({ params, payload }) {
        const video = yield* manageable(params.videoId)
        const { message } = yield* uploads.complete(video, payload)
        return { message, videoId: video.id }
      }),

      form: Effect.fn("Upload.form")(function*({ payload }) {
        const request = yield* HttpServerRequest.HttpServerRequest
        const created = yield* uploads.fromForm(payload)
        if (wantsHtml(request)) {
          return HttpServerResponse.redirect(`${siteOrigin}/videos/${created.videoId}`, { status: 303 })
        }
        return { message: "Upload received; transcoding started", ...created }
      })
    })
  })
)
