import { decodeCursor, VideoRepo } from "@reelbase/domain"
import { type DeleteVideoInput, videoSearchAttributes, workflowIds } from "@reelbase/workflows/shared"
import { WorkflowIdConflictPolicy } from "@temporalio/client"
import { Effect, Option } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../api/Api.ts"
import { BadRequest, ServiceUnavailable } from "../api/Errors.ts"
import { PresentedToken } from "../api/Security.ts"
import { ApiConfig } from "../Config.ts"
import { Temporal } from "../Temporal.ts"
import { Transcodes } from "../Transcodes.ts"
import { VideoAccess } from "../VideoAccess.ts"
import { VideoPresenter } from "../VideoPresenter.ts"

const DEFAULT_PAGE_SIZE = 24

export const VideosHandlers = HttpApiBuilder.group(
  Api,
  "videos",
  Effect.fn(function*(handlers) {
    const repo = yield* VideoRepo
    const access = yield* VideoAccess
    const presenter = yield* VideoPresenter
    const temporal = yield* Temporal
    const { taskQueue } = yield* ApiConfig
    const transcodes = yield* Transcodes

    return handlers.handleAll({
      list: Effect.fn("Videos.list")(function*({ query }) {
        const cursor = query.cursor === undefined ? Option.none() : decodeCursor(query.cursor)
        if (query.cursor !== undefined && Option.isNone(cursor)) {
          return yield* new BadRequest({ message: "cursor: not a cursor this API returned" })
        }
        const q = query.q?.trim()
        const page = yield* repo.listCatalog({
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          cursor: Option.getOrUndefined(cursor),
          type: query.type,
          status: query.status,
          liveOnly: query.live === "true",
          q: q === undefined || q === "" ? undefined : q
        })
        return { items: page.items.map(presenter.summary), nextCursor: page.nextCursor }
      }),

      get: Effect.fn("Videos.get")(function*({ params }) {
        const token = yield* PresentedToken
        const video = yield* access.readable(params.id, token)
        const variants = yield* repo.variants(video.id)
        const progress = video.status === "PROCESSING" ? Option.getOrNull(yield* transcodes.progress(video.id)) : null
        return presenter.detail(video, variants, progress)
      }),

      update: Effect.fn("Videos.update")(function*({ params, payload }) {
        const token = yield* PresentedToken
        yield* access.manageable(params.id, token)
        const updated = yield* repo.update(params.id, payload)
        const video = yield* Effect.fromOption(updated).pipe(Effect.orDie)
        return presenter.detail(video, yield* repo.variants(video.id), null)
      }),

      remove: Effect.fn("Videos.remove")(function*({ params }) {
        const token = yield* PresentedToken
        const video = yield* access.manageable(params.id, token)
        // The workflow is recorded first: once it exists the objects will go, even if this process dies now.
        yield* temporal.use("startDeleteVideo", (client) =>
          client.workflow.start("deleteVideo", {
            workflowId: workflowIds.deleteVideo(video.id),
            taskQueue,
            args: [{ videoId: video.id } satisfies DeleteVideoInput],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            typedSearchAttributes: videoSearchAttributes(video.id, video.videoType)
          })).pipe(
            Effect.mapError(() =>
              new ServiceUnavailable({ message: "Temporal is unavailable, so nothing was deleted; try again shortly" })
            )
          )
        yield* repo.remove(video.id)
      })
    })
  })
)
