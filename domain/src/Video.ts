import { Schema } from "effect"

export const VideoId = Schema.String.check(Schema.isUUID()).pipe(Schema.brand("VideoId"))
export type VideoId = typeof VideoId.Type

export const VideoStatus = Schema.Literals(["PENDING", "PROCESSING", "READY", "FAILED", "LIVE"])
export type VideoStatus = typeof VideoStatus.Type

export const Visibility = Schema.Literals(["PUBLIC", "UNLISTED", "PRIVATE"])
export type Visibility = typeof Visibility.Type

export const VideoType = Schema.Literals(["VOD", "LIVE"])
export type VideoType = typeof VideoType.Type

export const Title = Schema.String.check(
  Schema.isTrimmed(),
  Schema.isMinLength(1),
  Schema.isMaxLength(200)
)
export const Description = Schema.String.check(Schema.isMaxLength(5000))

/** A row of `videos` as the database returns it (names already camelCased). */
export class Video extends Schema.Class<Video>("@reelbase/domain/Video")({
  id: VideoId,
  title: Schema.String,
  description: Schema.String,
  status: VideoStatus,
  visibility: Visibility,
  videoType: VideoType,
  durationSeconds: Schema.NullOr(Schema.Number),
  thumbnailKey: Schema.NullOr(Schema.String),
  originalKey: Schema.NullOr(Schema.String),
  originalSize: Schema.NullOr(Schema.Number),
  originalFormat: Schema.NullOr(Schema.String),
  hlsManifestKey: Schema.NullOr(Schema.String),
  isLiveNow: Schema.Boolean,
  viewsToday: Schema.Number,
  viewsMonth: Schema.Number,
  viewsTotal: Schema.Number,
  lastViewReset: Schema.NullOr(Schema.Date),
  failureReason: Schema.NullOr(Schema.String),
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}) {}

/** One rendition of a video's HLS ladder. */
export class VideoVariant extends Schema.Class<VideoVariant>("@reelbase/domain/VideoVariant")({
  id: Schema.String,
  videoId: VideoId,
  resolution: Schema.String,
  width: Schema.Number,
  height: Schema.Number,
  bitrate: Schema.Number,
  codec: Schema.String,
  format: Schema.String,
  storageKey: Schema.String,
  sizeBytes: Schema.NullOr(Schema.Number)
}) {}
