import type { Readable } from "node:stream"
import { Config, Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as Minio from "minio"

export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  operation: Schema.String,
  key: Schema.String,
  cause: Schema.Defect()
}) {}

export interface ObjectInfo {
  readonly key: string
  readonly size: number
  readonly etag: string
  readonly lastModified: Date
  readonly contentType: string | undefined
}

export interface ByteRange {
  readonly start: number
  /** Inclusive, as in HTTP Range. */
  readonly end: number
}

export const StorageConfig = Config.all({
  endpoint: Config.URL("S3_ENDPOINT"),
  /** The address browsers reach the store at, for presigned URLs (defaults to S3_ENDPOINT). */
  publicEndpoint: Config.URL("S3_PUBLIC_ENDPOINT").pipe(Config.option),
  accessKey: Config.String("S3_ACCESS_KEY"),
  secretKey: Config.Redacted("S3_SECRET_KEY"),
  bucket: Config.String("S3_BUCKET"),
  region: Config.String("S3_REGION").pipe(Config.withDefault("us-east-1"))
})

/** A minio client for any S3-compatible endpoint, path-style (SeaweedFS and MinIO need it). */
export const makeMinioClient = (url: URL, accessKey: string, secretKey: Redacted.Redacted | string, region: string) =>
  new Minio.Client({
    endPoint: url.hostname,
    port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    useSSL: url.protocol === "https:",
    accessKey,
    secretKey: Redacted.isRedacted(secretKey) ? Redacted.value(secretKey) : secretKey,
    // A fixed region spares a region lookup before every presign.
    region,
    pathStyle: true
  })

const isMissing = (cause: unknown): boolean => {
  const code = (cause as { code?: unknown } | null)?.code
  return code === "NotFound" || code === "NoSuchKey"
}

/** The S3-compatible object store (SeaweedFS, MinIO, AWS), through the minio client. */
export class Storage extends Context.Service<Storage, {
  readonly bucket: string
  readonly client: Minio.Client
  readonly ping: Effect.Effect<void, StorageError>
  stat(key: string): Effect.Effect<Option.Option<ObjectInfo>, StorageError>
  read(key: string, range?: ByteRange): Effect.Effect<Readable, StorageError>
  putFile(key: string, path: string, contentType: string, cacheControl?: string): Effect.Effect<void, StorageError>
  putBytes(key: string, body: Buffer | string, contentType: string): Effect.Effect<void, StorageError>
  putStream(key: string, body: Readable, contentType: string, size?: number): Effect.Effect<void, StorageError>
  list(prefix: string): Effect.Effect<ReadonlyArray<{ readonly key: string; readonly size: number }>, StorageError>
  removePrefix(prefix: string): Effect.Effect<number, StorageError>
  presignPut(key: string, expirySeconds: number): Effect.Effect<string, StorageError>
  presignUrl(
    method: "PUT" | "GET",
    key: string,
    expirySeconds: number,
    query: Record<string, string>
  ): Effect.Effect<string, StorageError>
}>()("@reelbase/domain/Storage") {
  static readonly layer = Layer.effect(
    Storage,
    Effect.gen(function*() {
      const config = yield* StorageConfig
      const client = makeMinioClient(config.endpoint, config.accessKey, config.secretKey, config.region)
      const publicClient = Option.match(config.publicEndpoint, {
        onNone: () => client,
        onSome: (url) => makeMinioClient(url, config.accessKey, config.secretKey, config.region)
      })
      const { bucket } = config

      const attempt = <A>(operation: string, key: string, run: () => Promise<A>) =>
        Effect.tryPromise({ try: run, catch: (cause) => new StorageError({ operation, key, cause }) })

      const ping = Effect.gen(function*() {
        const exists = yield* attempt("bucketExists", bucket, () => client.bucketExists(bucket))
        if (!exists) {
          return yield* new StorageError({ operation: "bucketExists", key: bucket, cause: new Error(`bucket ${bucket} does not exist`) })
        }
      }).pipe(Effect.withSpan("Storage.ping"))

      const stat = Effect.fn("Storage.stat")(function*(key: string) {
        return yield* Effect.tryPromise({
          try: async () => {
            try {
              const info = await client.statObject(bucket, key)
              return Option.some<ObjectInfo>({
                key,
                size: info.size,
                etag: info.etag,
                lastModified: info.lastModified,
                contentType: info.metaData["content-type"] as string | undefined
              })
            } catch (cause) {
              if (isMissing(cause)) return Option.none<ObjectInfo>()
              throw cause
            }
          },
          catch: (cause) => new StorageError({ operation: "stat", key, cause })
        })
      })

      const read = Effect.fn("Storage.read")((key: string, range?: ByteRange) =>
        attempt("read", key, () =>
          range === undefined
            ? client.getObject(bucket, key)
            : client.getPartialObject(bucket, key, range.start, range.end - range.start + 1))
      )

      const putFile = Effect.fn("Storage.putFile")((key: string, path: string, contentType: string, cacheControl?: string) =>
        attempt("putFile", key, () =>
          client.fPutObject(bucket, key, path, {
            "Content-Type": contentType,
            ...(cacheControl === undefined ? {} : { "Cache-Control": cacheControl })
          })).pipe(Effect.asVoid)
      )

      const putBytes = Effect.fn("Storage.putBytes")((key: string, body: Buffer | string, contentType: string) =>
        attempt("putBytes", key, () =>
          client.putObject(bucket, key, body, Buffer.byteLength(body), { "Content-Type": contentType })).pipe(Effect.asVoid)
      )

      const putStream = Effect.fn("Storage.putStream")((key: string, body: Readable, contentType: string, size?: number) =>
        attempt("putStream", key, () => client.putObject(bucket, key, body, size, { "Content-Type": contentType })).pipe(
          Effect.asVoid
        )
      )

      const list = Effect.fn("Storage.list")((prefix: string) =>
        attempt("list", prefix, async () => {
          const found: Array<{ key: string; size: number }> = []
          for await (const item of client.listObjectsV2(bucket, prefix, true)) {
            if (typeof item.name === "string") found.push({ key: item.name, size: item.size })
          }
          return found
        })
      )

      const removePrefix = Effect.fn("Storage.removePrefix")(function*(prefix: string) {
        const objects = yield* list(prefix)
        if (objects.length === 0) return 0
        yield* attempt("removeObjects", prefix, () => client.removeObjects(bucket, objects.map((o) => o.key)))
        return objects.length
      })

      const presignPut = Effect.fn("Storage.presignPut")((key: string, expirySeconds: number) =>
        attempt("presignPut", key, () => publicClient.presignedPutObject(bucket, key, expirySeconds))
      )

      const presignUrl = Effect.fn("Storage.presignUrl")(
        (method: "PUT" | "GET", key: string, expirySeconds: number, query: Record<string, string>) =>
          attempt("presignUrl", key, () => publicClient.presignedUrl(method, bucket, key, expirySeconds, query))
      )

      return Storage.of({
        bucket,
        client,
        ping,
        stat,
        read,
        putFile,
        putBytes,
        putStream,
        list,
        removePrefix,
        presignPut,
        presignUrl
      })
    })
  )
}
