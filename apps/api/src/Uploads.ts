import { randomUUID } from "node:crypto"
import {
  hashSecret,
  MultipartUploads,
  newSecret,
  ProcessingRepo,
  Storage,
  StorageError,
  StorageKeys,
  type Video,
  VideoId,
  VideoRepo,
  type Visibility
} from "@reelbase/domain"
import { Context, Effect, Layer, Option, Stream } from "effect"
import type { Multipart } from "effect/http"
import { BadRequest, Conflict, ServiceUnavailable } from "./api/Errors.ts"
import { type CompleteRequest, type NewUpload, UploadTooLarge } from "./api/Upload.ts"
import { Transcodes } from "./Transcodes.ts"
import { UploadConfig } from "./upload/UploadConfig.ts"
import {
  contentTypeProblem,
  defaultTitle,
  fileNameProblem,
  fileSizeProblem,
  mediaType,
  partCountFor,
  partSizeFor,
  partsProblem
} from "./upload/UploadRules.ts"

export interface Created {
  readonly videoId: VideoId
  readonly manageToken: string
}

// S3 answers these when the client's parts are wrong, not when storage is unwell.
const CLIENT_PART_ERRORS = new Set(["InvalidPart", "InvalidPartOrder", "EntityTooSmall", "NoSuchUpload", "MalformedXML"])

const storageDown = (what: string) => () =>
  new ServiceUnavailable({ message: `Storage is unavailable, so ${what}; try again shortly` })

const VISIBILITIES: ReadonlyArray<string> = ["PUBLIC", "UNLISTED", "PRIVATE"]

interface FormFields {
  title?: string
  description?: string
  visibility?: string
}

/** The checks a form's text fields get (the JSON endpoints get the same through their schema). */
const formFieldProblem = (fields: FormFields): string | undefined => {
  const title = fields.title?.trim()
  if (title !== undefined && title !== "" && title.length > 200) return "title must be at most 200 characters"
  if ((fields.description ?? "").length > 5000) return "description must be at most 5000 characters"
  if (fields.visibility !== undefined && fields.visibility !== "" && !VISIBILITIES.includes(fields.visibility)) {
    return `visibility must be one of ${VISIBILITIES.join(", ")}`
  }
  return undefined
}

/**
 * Uploads: creating videos that wait for their bytes, handing out presigned URLs so the bytes go straight to
 * storage, finishing multipart uploads, streaming form posts to storage, and starting the transcode once.
 */
export class Uploads extends Context.Service<Uploads, {
  presign(input: NewUpload): Effect.Effect<Created & { readonly uploadUrl: string; readonly expiresIn: number }, BadRequest | ServiceUnavailable>
  createMultipart(input: NewUpload): Effect.Effect<
    Created & { readonly uploadId: string; readonly partSize: number; readonly partCount: number },
    BadRequest | ServiceUnavailable
  >
  freshUrl(video: Video): Effect.Effect<{ readonly uploadUrl: string; readonly expiresIn: number }, Conflict | ServiceUnavailable>
  partUrls(
    video: Video,
    uploadId: string,
    partNumbers: ReadonlyArray<number>
  ): Effect.Effect<{ readonly parts: ReadonlyArray<{ partNumber: number; url: string }>; readonly expiresIn: number }, BadRequest | Conflict | ServiceUnavailable>
  storedParts(video: Video, uploadId: string): Effect.Effect<
    { readonly uploadId: string; readonly partSize: number; readonly partCount: number; readonly parts: ReadonlyArray<{ partNumber: number; size: number; etag: string }> },
    BadRequest | Conflict | ServiceUnavailable
  >
  complete(video: Video, request: CompleteRequest | null): Effect.Effect<{ readonly message: string }, BadRequest | Conflict | ServiceUnavailable>
  /** Reads a multipart/form-data post, streaming its `file` part to storage, and starts the transcode. */
  fromForm(parts: Stream.Stream<Multipart.Part, Multipart.MultipartError>): Effect.Effect<Created, BadRequest | UploadTooLarge | ServiceUnavailable>
}>()("@reelbase/api/Uploads") {
  static readonly layer = Layer.effect(
    Uploads,
    Effect.gen(function*() {
      const config = yield* UploadConfig
      const repo = yield* VideoRepo
      const processing = yield* ProcessingRepo
      const storage = yield* Storage
      const multipart = yield* MultipartUploads
      const transcodes = yield* Transcodes

      const validate = (input: NewUpload) => {
        const problem = fileNameProblem(input.fileName) ??
          contentTypeProblem(input.contentType) ??
          fileSizeProblem(input.fileSize, config.maxUploadBytes)
        return problem === undefined ? Effect.void : Effect.fail(new BadRequest({ message: problem }))
      }

      const createVideo = Effect.fn("Uploads.createVideo")(function*(
        id: VideoId,
        details: { title: string; description: string; visibility: Visibility; size: number | undefined; contentType: string }
      ) {
        const manageToken = newSecret()
        yield* repo.create({
          id,
          title: details.title,
          description: details.description,
          visibility: details.visibility,
          videoType: "VOD",
          status: "PENDING",
          manageTokenHash: hashSecret(manageToken),
          originalKey: StorageKeys.original(id),
          originalSize: details.size,
          originalFormat: details.contentType
        })
        return { videoId: id, manageToken } satisfies Created
      })

      const detailsOf = (input: NewUpload) => ({
        title: input.title ?? defaultTitle(input.fileName),
        description: input.description ?? "",
        visibility: input.visibility ?? "PUBLIC",
        size: input.fileSize,
        contentType: mediaType(input.contentType)!
      })

      const presign = Effect.fn("Uploads.presign")(function*(input: NewUpload) {
        yield* validate(input)
        const id = VideoId.make(randomUUID())
        // The URL first: if storage cannot sign, no video is left waiting for bytes that cannot come.
        const uploadUrl = yield* storage.presignPut(StorageKeys.original(id), config.urlTtlSeconds).pipe(
          Effect.mapError(storageDown("no video was created"))
        )
        const created = yield* createVideo(id, detailsOf(input))
        return { ...created, uploadUrl, expiresIn: config.urlTtlSeconds }
      })

      const createMultipart = Effect.fn("Uploads.createMultipart")(function*(input: NewUpload) {
        yield* validate(input)
        const id = VideoId.make(randomUUID())
        const uploadId = yield* multipart.create(StorageKeys.original(id), mediaType(input.contentType)!).pipe(
          Effect.mapError(storageDown("no video was created"))
        )
        const created = yield* createVideo(id, detailsOf(input))
        return { ...created, uploadId, partSize: partSizeFor(input.fileSize), partCount: partCountFor(input.fileSize) }
      })

      const requirePending = (video: Video) => {
        if (video.videoType !== "VOD") return Effect.fail(new Conflict({ message: "This is a live video: it has no upload" }))
        if (video.status !== "PENDING") {
          return Effect.fail(new Conflict({ message: `The upload of this video is already complete (it is ${video.status})` }))
        }
        return Effect.void
      }

      const freshUrl = Effect.fn("Uploads.freshUrl")(function*(video: Video) {
        yield* requirePending(video)
        const uploadUrl = yield* storage.presignPut(StorageKeys.original(video.id), config.urlTtlSeconds).pipe(
          Effect.mapError(storageDown("no URL could be signed"))
        )
        return { uploadUrl, expiresIn: config.urlTtlSeconds }
      })

      /** The parts of this video's multipart upload; unknown upload ids are the client's mistake. */
      const partsOf = Effect.fn("Uploads.partsOf")(function*(video: Video, uploadId: string) {
        const parts = yield* multipart.parts(StorageKeys.original(video.id), uploadId).pipe(
          Effect.mapError(storageDown("the upload could not be looked up"))
        )
        if (Option.isNone(parts)) {
          return yield* new BadRequest({ message: `No multipart upload ${uploadId} for this video (finished, aborted or never started)` })
        }
        return parts.value
      })

      const partUrls = Effect.fn("Uploads.partUrls")(function*(video: Video, uploadId: string, partNumbers: ReadonlyArray<number>) {
        yield* requirePending(video)
        const partCount = partCountFor(video.originalSize ?? 0)
        const beyond = partNumbers.filter((number) => number > partCount)
        if (beyond.length > 0) {
          return yield* new BadRequest({ message: `The file has ${partCount} parts; there is no part ${beyond.join(", ")}` })
        }
        yield* partsOf(video, uploadId)
        const key = StorageKeys.original(video.id)
        const parts = yield* Effect.forEach(
          [...new Set(partNumbers)],
          (partNumber) =>
            multipart.presignPart(key, uploadId, partNumber, config.urlTtlSeconds).pipe(Effect.map((url) => ({ partNumber, url }))),
          { concurrency: 8 }
        ).pipe(Effect.mapError(storageDown("no URL could be signed")))
        return { parts, expiresIn: config.urlTtlSeconds }
      })

      const storedParts = Effect.fn("Uploads.storedParts")(function*(video: Video, uploadId: string) {
        yield* requirePending(video)
        const parts = yield* partsOf(video, uploadId)
        const size = video.originalSize ?? 0
        return { uploadId, partSize: partSizeFor(size), partCount: partCountFor(size), parts }
      })

      /** The one unfinished multipart upload of this video, when the client did not say which. */
      const onlyUpload = Effect.fn("Uploads.onlyUpload")(function*(video: Video) {
        const key = StorageKeys.original(video.id)
        const uploads = (yield* multipart.incomplete(key).pipe(Effect.mapError(storageDown("the upload could not be looked up"))))
          .filter((upload) => upload.key === key)
        if (uploads.length > 1) {
          return yield* new BadRequest({ message: "This video has several unfinished multipart uploads: say which with uploadId" })
        }
        return Option.fromNullishOr(uploads[0]?.uploadId)
      })

      /** Assembles the stored parts into the original, after checking they make exactly the announced file. */
      const finishMultipart = Effect.fn("Uploads.finishMultipart")(function*(video: Video, request: CompleteRequest) {
        const uploadId = request.uploadId!
        const key = StorageKeys.original(video.id)
        const parts = yield* multipart.parts(key, uploadId).pipe(Effect.mapError(storageDown("the upload could not be looked up")))
        // A concurrent complete may have finished it a moment ago: the stored object is then what counts.
        if (Option.isNone(parts)) return
        const problem = partsProblem(parts.value, video.originalSize ?? 0)
        if (problem !== undefined) return yield* new BadRequest({ message: problem })
        const completed = request.parts ?? parts.value.map((part) => ({ partNumber: part.partNumber, etag: part.etag }))
        yield* multipart.complete(key, uploadId, completed).pipe(
          Effect.mapError((error: StorageError): BadRequest | ServiceUnavailable => {
            const code = (error.cause as { code?: unknown } | null)?.code
            return typeof code === "string" && CLIENT_PART_ERRORS.has(code)
              ? new BadRequest({ message: `Storage refused to assemble the parts (${code}): check the part ETags` })
              : storageDown("the upload is not complete yet")()
          })
        )
      })

      const startTranscode = Effect.fn("Uploads.startTranscode")(function*(video: Video) {
        yield* transcodes.start(video).pipe(
          Effect.mapError(() =>
            new ServiceUnavailable({ message: "Temporal is unavailable, so transcoding could not start; the upload is kept: complete again shortly" })
          )
        )
        // After the start: a crash in between leaves a PENDING video whose workflow marks it PROCESSING itself.
        yield* processing.markProcessing(video.id)
      })

      const complete = Effect.fn("Uploads.complete")(function*(video: Video, request: CompleteRequest | null) {
        if (video.videoType !== "VOD") return yield* new Conflict({ message: "This is a live video: it has no upload to complete" })
        if (video.status === "PROCESSING" || video.status === "READY") {
          return { message: `The upload was already complete; the video is ${video.status}` }
        }
        if (video.status === "FAILED") {
          return yield* new Conflict({
            message: `Transcoding this video failed (${video.failureReason ?? "no reason recorded"}); upload the file again as a new video`
          })
        }
        const key = StorageKeys.original(video.id)
        const stat = storage.stat(key).pipe(Effect.mapError(storageDown("the upload could not be checked")))
        let stored = yield* stat
        if (request?.uploadId !== undefined || Option.isNone(stored)) {
          const uploadId = request?.uploadId ?? Option.getOrUndefined(yield* onlyUpload(video))
          if (uploadId !== undefined) {
            yield* finishMultipart(video, { ...request, uploadId })
            stored = yield* stat
          }
        }
        if (Option.isNone(stored)) {
          return yield* new BadRequest({ message: "Nothing has been uploaded for this video yet: PUT the file to its uploadUrl first" })
        }
        const announced = video.originalSize
        if (announced !== null && stored.value.size !== announced) {
          return yield* new BadRequest({
            message: `The stored file has ${stored.value.size} bytes but ${announced} were announced; upload it again`
          })
        }
        yield* startTranscode(video)
        return { message: "Upload complete; transcoding started" }
      })

      const fromForm = Effect.fn("Uploads.fromForm")(function*(parts: Stream.Stream<Multipart.Part, Multipart.MultipartError>) {
        const fields: FormFields = {}
        let created: Created | undefined
        let size = 0

        const limited = (content: Stream.Stream<Uint8Array, Multipart.MultipartError>) =>
          content.pipe(Stream.mapEffect((chunk) => {
            size += chunk.length
            return size > config.maxUploadBytes
              ? Effect.fail(new UploadTooLarge({ message: `The file is larger than the limit of ${config.maxUploadBytes} bytes` }))
              : Effect.succeed(chunk)
          }))

        const receiveFile = Effect.fn("Uploads.receiveFile")(function*(file: Multipart.File) {
          if (file.key !== "file") return yield* new BadRequest({ message: `Unexpected file field "${file.key}": send the video as "file"` })
          if (created !== undefined) return yield* new BadRequest({ message: "Send one file per upload" })
          if (file.name === "") return yield* new BadRequest({ message: "Choose a video file to upload" })
          const nameProblem = fileNameProblem(file.name)
          if (nameProblem !== undefined) return yield* new BadRequest({ message: nameProblem.replace("fileName", "The file name") })
          // Browsers send application/octet-stream for extensions they do not know (.mkv on some systems): the probe decides.
          const type = mediaType(file.contentType)
          if (type === undefined || !(type.startsWith("video/") || type === "application/octet-stream")) {
            return yield* new BadRequest({ message: `The file is ${file.contentType || "of no type"}, not a video (video/*)` })
          }
          const fieldProblem = formFieldProblem(fields)
          if (fieldProblem !== undefined) return yield* new BadRequest({ message: fieldProblem })
          const id = VideoId.make(randomUUID())
          created = yield* createVideo(id, {
            title: fields.title?.trim() || defaultTitle(file.name),
            description: fields.description ?? "",
            visibility: (fields.visibility || "PUBLIC") as Visibility,
            size: undefined,
            contentType: type
          })
          yield* multipart.putStream(StorageKeys.original(id), limited(file.content), type).pipe(
            Effect.catchTag("StorageError", () => Effect.fail(storageDown("the upload was not stored")()))
          )
        })

        const receive = Stream.runForEach(parts, (part) => {
          if (part._tag === "File") return receiveFile(part)
          if (part.key === "title" || part.key === "description" || part.key === "visibility") fields[part.key] = part.value
          return Effect.void
        }).pipe(
          Effect.catchTag("MultipartError", (error) => Effect.fail(new BadRequest({ message: `The form could not be read: ${error.message}` })))
        )

        const finish = Effect.gen(function*() {
          yield* receive
          if (created === undefined) return yield* new BadRequest({ message: 'The form has no "file" field with a video' })
          const { videoId } = created
          if (size === 0) return yield* new BadRequest({ message: "The file is empty (0 bytes)" })
          // Fields after the file in the form arrive late: they still count.
          const fieldProblem = formFieldProblem(fields)
          if (fieldProblem !== undefined) return yield* new BadRequest({ message: fieldProblem })
          const title = fields.title?.trim()
          yield* repo.update(videoId, {
            ...(title ? { title } : {}),
            ...(fields.description === undefined ? {} : { description: fields.description }),
            ...(fields.visibility ? { visibility: fields.visibility as Visibility } : {})
          })
          yield* processing.recordOriginalSize(videoId, size)
          const video = yield* repo.findById(videoId).pipe(Effect.flatMap(Effect.fromOption), Effect.orDie)
          yield* startTranscode(video).pipe(
            Effect.mapError(() => new ServiceUnavailable({ message: "Temporal is unavailable, so the upload was not accepted; try again shortly" }))
          )
          return created
        })

        // Bad input changes nothing: a video created for a form that then failed goes again, with its bytes.
        return yield* finish.pipe(
          Effect.onError(() =>
            created === undefined
              ? Effect.void
              : Effect.ignore(repo.remove(created.videoId).pipe(
                Effect.andThen(storage.removePrefix(`uploads/${created.videoId}/`))
              ))
          )
        )
      })

      return Uploads.of({ presign, createMultipart, freshUrl, partUrls, storedParts, complete, fromForm })
    })
  )
}
