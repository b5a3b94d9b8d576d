import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Description, Title, VideoId, Visibility } from "@reelbase/domain"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable, Unauthorized, VideoNotFound } from "./Errors.ts"
import { OptionalBearer } from "./Security.ts"

export class UploadTooLarge extends Schema.TaggedError<UploadTooLarge>()(
  "UploadTooLarge",
  { message: Schema.String },
  { httpApiStatus: 413 }
) {}

/** What a client announces before sending a byte; title etc. default to the file name. */
export const NewUpload = Schema.Struct({
  fileName: Schema.String,
  fileSize: Schema.Number,
  contentType: Schema.String,
  title: Schema.optional(Title),
  description: Schema.optional(Description),
  visibility: Schema.optional(Visibility)
})
export type NewUpload = typeof NewUpload.Type

export const PresignedUpload = Schema.Struct({
  videoId: VideoId,
  /** PUT the whole file here (presigned, straight to storage). */
  uploadUrl: Schema.String,
  /** Seconds the URL stays valid; POST /api/upload/:videoId/presign for a fresh one. */
  expiresIn: Schema.Number,
  /** Shown once: needed for complete, PATCH and DELETE. */
  manageToken: Schema.String
})

export const MultipartUpload = Schema.Struct({
  videoId: VideoId,
  uploadId: Schema.String,
  /** Every part but the last has exactly this many bytes. */
  partSize: Schema.Number,
  partCount: Schema.Number,
  manageToken: Schema.String
})

export const FreshUploadUrl = Schema.Struct({ uploadUrl: Schema.String, expiresIn: Schema.Number })

const PartNumber = Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 10_000 }))

export const PartUrlsRequest = Schema.Struct({
  uploadId: Schema.String.check(Schema.isMinLength(1)),
  partNumbers: Schema.Array(PartNumber).check(Schema.isMinLength(1), Schema.isMaxLength(100))
})

export const PartUrls = Schema.Struct({
  parts: Schema.Array(Schema.Struct({ partNumber: Schema.Number, url: Schema.String })),
  expiresIn: Schema.Number
})

export const StoredParts = Schema.Struct({
  uploadId: Schema.String,
  partSize: Schema.Number,
  partCount: Schema.Number,
  /** The parts storage holds; a resumed upload sends the others. */
  parts: Schema.Array(Schema.Struct({ partNumber: Schema.Number, size: Schema.Number, etag: Schema.String }))
})

export const CompleteRequest = Schema.Struct({
  /** The multipart upload to finish; without it the single PUT (or the one unfinished multipart upload) counts. */
  uploadId: Schema.optional(Schema.String),
  /** The ETags the browser read from its part PUTs; without them the stored parts are used. */
  parts: Schema.optional(Schema.Array(Schema.Struct({ partNumber: PartNumber, etag: Schema.String })))
})
export type CompleteRequest = typeof CompleteRequest.Type

export const Completed = Schema.Struct({ message: Schema.String, videoId: VideoId })

export const FormUploaded = Schema.Struct({
  message: Schema.String,
  videoId: VideoId,
  manageToken: Schema.String
}).annotate({ httpApiStatus: 201 })

const errors = [BadRequest, VideoNotFound, Unauthorized, Forbidden, Conflict, ServiceUnavailable]

export class UploadApi extends HttpApiGroup.make("upload")
  .add(
    HttpApiEndpoint.post("presign", "/presign", {
      payload: NewUpload,
      success: PresignedUpload,
      error: [BadRequest, ServiceUnavailable]
    }).annotate(
      OpenApi.Description,
      "Creates a PENDING video and a presigned PUT URL for the whole file. Only video/* content types, 1 byte up to " +
        "MAX_UPLOAD_BYTES. The file name is only the default title: storage keys never contain it."
    ),
    HttpApiEndpoint.post("createMultipart", "/multipart", {
      payload: NewUpload,
      success: MultipartUpload,
      error: [BadRequest, ServiceUnavailable]
    }).annotate(
      OpenApi.Description,
      "Creates a PENDING video and an S3 multipart upload for large files: ask for part URLs, PUT each part (read " +
        "its ETag), then complete. An interrupted upload resumes from the parts already stored."
    ),
    HttpApiEndpoint.post("freshUrl", "/:videoId/presign", {
      params: { videoId: VideoId },
      success: FreshUploadUrl,
      error: errors
    }).annotate(OpenApi.Description, "A new single-PUT URL for a PENDING video whose first one expired (manage token)."),
    HttpApiEndpoint.post("partUrls", "/:videoId/multipart/parts", {
      params: { videoId: VideoId },
      payload: PartUrlsRequest,
      success: PartUrls,
      error: errors
    }).annotate(OpenApi.Description, "Presigned PUT URLs for up to 100 parts of the video's multipart upload (manage token)."),
    HttpApiEndpoint.get("storedParts", "/:videoId/multipart/parts", {
      params: { videoId: VideoId },
      query: { uploadId: Schema.String.check(Schema.isMinLength(1)) },
      success: StoredParts,
      error: errors
    }).annotate(OpenApi.Description, "The parts storage already holds, so an interrupted upload sends only the rest (manage token)."),
    HttpApiEndpoint.post("complete", "/:videoId/complete", {
      params: { videoId: VideoId },
      // An empty body (no JSON at all) decodes as null.
      payload: [CompleteRequest, Schema.Null],
      success: Completed,
      error: errors
    }).annotate(
      OpenApi.Description,
      "Checks the stored file has the announced size (finishing a multipart upload first), starts workflow " +
        "transcode-<videoId> and sets PROCESSING. Calling it again never starts a second transcode (manage token)."
    ),
    HttpApiEndpoint.post("form", "/form", {
      payload: Schema.Unknown.pipe(HttpApiSchema.asMultipartStream({ maxParts: 16 })),
      success: [FormUploaded, HttpApiSchema.Empty(303)],
      error: [BadRequest, UploadTooLarge, ServiceUnavailable]
    }).annotate(
      OpenApi.Description,
      "The no-JavaScript upload: a multipart/form-data post with optional title, description and visibility fields " +
        "and one `file` field (video/*, or application/octet-stream left to the probe). The file streams to storage " +
        "in bounded parts, never held whole. Answers 201 {message, videoId, manageToken}, or a 303 redirect to the " +
        "video's page on the site when the client accepts text/html."
    )
  )
  .middleware(OptionalBearer)
  .prefix("/api/upload")
  .annotateMerge(OpenApi.annotations({
    title: "Upload",
    description: "Uploads go straight to storage (presigned single or multipart PUTs), or stream through /api/upload/form."
  }))
{}
