import { Context, Effect, Layer, Option, Stream } from "effect"
import { Storage, StorageError } from "./Storage.ts"

/** A part S3 already holds for an unfinished multipart upload. */
export interface StoredPart {
  readonly partNumber: number
  readonly size: number
  readonly etag: string
}

export interface CompletedPart {
  readonly partNumber: number
  readonly etag: string
}

/** A multipart upload that was started and neither completed nor aborted. */
export interface IncompleteUpload {
  readonly key: string
  readonly uploadId: string
  readonly initiated: Date
}

/** S3 refuses parts under 5 MiB (except the last one) and more than 10,000 parts. */
export const MIN_PART_SIZE = 5 * 1024 * 1024
export const MAX_PARTS = 10_000

// The minio client keeps ListParts protected, although it is a plain S3 call.
interface ListsParts {
  listParts(bucket: string, key: string, uploadId: string): Promise<Array<{ part: number; size: number; etag: string }>>
}

const isNoSuchUpload = (cause: unknown): boolean => (cause as { code?: unknown } | null)?.code === "NoSuchUpload"

/**
 * S3 multipart uploads: browsers send parts straight to storage through presigned URLs, and the API streams
 * form uploads in bounded parts. Either way an interrupted upload keeps the parts it already stored.
 */
export class MultipartUploads extends Context.Service<MultipartUploads, {
  create(key: string, contentType: string): Effect.Effect<string, StorageError>
  /** A URL a browser PUTs one part to, as the store's public address. */
  presignPart(key: string, uploadId: string, partNumber: number, expirySeconds: number): Effect.Effect<string, StorageError>
  /** The parts stored so far, or None when there is no such upload (finished, aborted or never started). */
  parts(key: string, uploadId: string): Effect.Effect<Option.Option<ReadonlyArray<StoredPart>>, StorageError>
  complete(key: string, uploadId: string, parts: ReadonlyArray<CompletedPart>): Effect.Effect<void, StorageError>
  abort(key: string, uploadId: string): Effect.Effect<void, StorageError>
  /** Unfinished uploads whose keys start with the prefix. */
  incomplete(prefix: string): Effect.Effect<ReadonlyArray<IncompleteUpload>, StorageError>
  /**
   * Stores a stream of unknown length as one object, holding at most one part in memory at a time.
   * An interrupted or failed stream aborts the upload, so no half object is ever visible. Returns the size.
   */
  putStream<E>(
    key: string,
    body: Stream.Stream<Uint8Array, E>,
    contentType: string,
    partSize?: number
  ): Effect.Effect<number, StorageError | E>
}>()("@reelbase/domain/MultipartUploads") {
  static readonly layer = Layer.effect(
    MultipartUploads,
    Effect.gen(function*() {
      const storage = yield* Storage
      const { client, bucket } = storage

      const attempt = <A>(operation: string, key: string, run: () => Promise<A>) =>
        Effect.tryPromise({ try: run, catch: (cause) => new StorageError({ operation, key, cause }) })

      const create = Effect.fn("MultipartUploads.create")((key: string, contentType: string) =>
        attempt("createMultipartUpload", key, () => client.initiateNewMultipartUpload(bucket, key, { "Content-Type": contentType }))
      )

      const presignPart = Effect.fn("MultipartUploads.presignPart")(
        (key: string, uploadId: string, partNumber: number, expirySeconds: number) =>
          storage.presignUrl("PUT", key, expirySeconds, { partNumber: String(partNumber), uploadId })
      )

      const parts = Effect.fn("MultipartUploads.parts")((key: string, uploadId: string) =>
        Effect.tryPromise({
          try: async () => {
            try {
              const listed = await (client as unknown as ListsParts).listParts(bucket, key, uploadId)
              return Option.some<ReadonlyArray<StoredPart>>(
                listed
                  .map((part) => ({ partNumber: part.part, size: part.size, etag: part.etag }))
                  .sort((a, b) => a.partNumber - b.partNumber)
              )
            } catch (cause) {
              if (isNoSuchUpload(cause)) return Option.none<ReadonlyArray<StoredPart>>()
              throw cause
            }
          },
          catch: (cause) => new StorageError({ operation: "listParts", key, cause })
        })
      )

      const complete = Effect.fn("MultipartUploads.complete")(
        (key: string, uploadId: string, completed: ReadonlyArray<CompletedPart>) =>
          attempt("completeMultipartUpload", key, () =>
            client.completeMultipartUpload(
              bucket,
              key,
              uploadId,
              completed.map((part) => ({ part: part.partNumber, etag: part.etag }))
            )).pipe(Effect.asVoid)
      )

      const abort = Effect.fn("MultipartUploads.abort")((key: string, uploadId: string) =>
        Effect.tryPromise({
          try: async () => {
            try {
              await client.abortMultipartUpload(bucket, key, uploadId)
            } catch (cause) {
              // Already gone is what we wanted.
              if (!isNoSuchUpload(cause)) throw cause
            }
          },
          catch: (cause) => new StorageError({ operation: "abortMultipartUpload", key, cause })
        })
      )

      const incomplete = Effect.fn("MultipartUploads.incomplete")((prefix: string) =>
        attempt("listMultipartUploads", prefix, async () => {
          const found: Array<IncompleteUpload> = []
          let keyMarker = ""
          for (;;) {
            const page = await client.listIncompleteUploadsQuery(bucket, prefix, keyMarker, "", "")
            for (const upload of page.uploads) {
              found.push({ key: upload.key, uploadId: upload.uploadId, initiated: upload.initiated })
            }
            // The client drops the upload-id marker, so paging goes by key; stop if a page brings nothing new.
            const last = page.uploads.at(-1)?.key
            if (!page.isTruncated || last === undefined || last === keyMarker) break
            keyMarker = last
          }
          return found
        })
      )

      const uploadPart = (key: string, uploadId: string, partNumber: number, bytes: Buffer) =>
        attempt("uploadPart", key, () =>
          client.uploadPart(
            { bucketName: bucket, objectName: key, uploadID: uploadId, partNumber, headers: { "Content-Length": bytes.length } },
            bytes
          )).pipe(Effect.map((stored) => ({ partNumber, etag: stored.etag })))

      const putStream = <E>(key: string, body: Stream.Stream<Uint8Array, E>, contentType: string, partSize = 8 * 1024 * 1024) =>
        Effect.gen(function*() {
          const uploadId = yield* create(key, contentType)
          const completed: Array<CompletedPart> = []
          let pending: Array<Uint8Array> = []
          let pendingBytes = 0
          let total = 0
          const flush = Effect.suspend(() => {
            const bytes = Buffer.concat(pending, pendingBytes)
            pending = []
            pendingBytes = 0
            return uploadPart(key, uploadId, completed.length + 1, bytes).pipe(Effect.map((part) => void completed.push(part)))
          })
          const upload = Effect.gen(function*() {
            // Each part is sent before more of the body is read: the sender is held back, memory stays bounded.
            yield* Stream.runForEach(body, (chunk) => {
              pending.push(chunk)
              pendingBytes += chunk.length
              total += chunk.length
              return pendingBytes >= partSize ? flush : Effect.void
            })
            if (total === 0) {
              // S3 completes no upload without a part; an empty object is a plain PUT.
              yield* abort(key, uploadId)
              yield* storage.putBytes(key, Buffer.alloc(0), contentType)
              return 0
            }
            if (pendingBytes > 0) yield* flush
            yield* complete(key, uploadId, completed)
            return total
          })
          return yield* upload.pipe(Effect.onExit((exit) => exit._tag === "Success" ? Effect.void : Effect.ignore(abort(key, uploadId))))
        }).pipe(Effect.withSpan("MultipartUploads.putStream", { attributes: { key } }))

      return MultipartUploads.of({ create, presignPart, parts, complete, abort, incomplete, putStream })
    })
  )
}
