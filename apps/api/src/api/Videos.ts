import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Description, Title, VideoId, VideoStatus, VideoType, Visibility } from "@reelbase/domain"
import { BadRequest, Forbidden, ServiceUnavailable, Unauthorized, VideoNotFound } from "./Errors.ts"
import { OptionalBearer } from "./Security.ts"

export class VariantJson extends Schema.Class<VariantJson>("Variant")({
  resolution: Schema.String,
  width: Schema.Number,
  height: Schema.Number,
  bitrate: Schema.Number,
  codec: Schema.String,
  format: Schema.String,
  sizeBytes: Schema.NullOr(Schema.Number)
}) {}

export class VideoJson extends Schema.Class<VideoJson>("Video")({
  id: VideoId,
  title: Schema.String,
  description: Schema.String,
  status: VideoStatus,
  visibility: Visibility,
  videoType: VideoType,
  durationSeconds: Schema.NullOr(Schema.Number),
  thumbnailUrl: Schema.NullOr(Schema.String),
  hlsUrl: Schema.NullOr(Schema.String),
  isLiveNow: Schema.Boolean,
  viewsToday: Schema.Number,
  viewsMonth: Schema.Number,
  viewsTotal: Schema.Number,
  failureReason: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String
}) {}

export class VideoDetailJson extends Schema.Class<VideoDetailJson>("VideoDetail")({
  ...VideoJson.fields,
  variants: Schema.Array(VariantJson),
  /** 0..1 while the video is transcoding, from the workflow; null otherwise. */
  progress: Schema.NullOr(Schema.Number),
  /** Where an operator sees this video's workflows (Temporal UI, filtered by VideoId). */
  workflowsUrl: Schema.String
}) {}

export const VideoPage = Schema.Struct({
  items: Schema.Array(VideoJson),
  nextCursor: Schema.NullOr(Schema.String)
})

export const VideoUpdate = Schema.Struct({
  title: Schema.optional(Title),
  description: Schema.optional(Description),
  visibility: Schema.optional(Visibility)
})

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 100 }))

export class VideosApi extends HttpApiGroup.make("videos")
  .add(
    HttpApiEndpoint.get("list", "/", {
      query: {
        limit: Schema.optional(Limit),
        cursor: Schema.optional(Schema.String),
        type: Schema.optional(VideoType),
        status: Schema.optional(VideoStatus),
        live: Schema.optional(Schema.Literals(["true", "false"])),
        q: Schema.optional(Schema.String.check(Schema.isMaxLength(200)))
      },
      success: VideoPage,
      error: BadRequest
    }).annotate(OpenApi.Description, "Public videos, newest first. Without `status`, only watchable ones (READY or LIVE)."),
    HttpApiEndpoint.get("get", "/:id", {
      params: { id: VideoId },
      success: VideoDetailJson,
      error: VideoNotFound
    }).annotate(OpenApi.Description, "One video. PRIVATE videos need their manage token (or the admin token)."),
    HttpApiEndpoint.patch("update", "/:id", {
      params: { id: VideoId },
      payload: VideoUpdate,
      success: VideoDetailJson,
      error: [VideoNotFound, Unauthorized, Forbidden]
    }).annotate(OpenApi.Description, "Change title, description or visibility (manage token)."),
    HttpApiEndpoint.delete("remove", "/:id", {
      params: { id: VideoId },
      success: HttpApiSchema.NoContent,
      error: [VideoNotFound, Unauthorized, Forbidden, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Delete the video and, through a workflow, every stored object of it (manage token).")
  )
  .middleware(OptionalBearer)
  .prefix("/api/videos")
  .annotateMerge(OpenApi.annotations({ title: "Videos", description: "The catalog" }))
{}
