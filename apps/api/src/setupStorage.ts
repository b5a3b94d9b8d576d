// One-shot: creates the bucket and its CORS rule. The compose `s3-init` service runs it before the api starts.
import { makeMinioClient, prepareBucket, StorageConfig } from "@reelbase/domain"
import { Config, Effect } from "effect"

const program = Effect.gen(function*() {
  const storage = yield* StorageConfig
  const origins = yield* Config.String("SITE_ORIGIN").pipe(Config.withDefault("http://localhost:3000"))
  const client = makeMinioClient(storage.endpoint, storage.accessKey, storage.secretKey, storage.region)
  const result = yield* Effect.promise(() => prepareBucket(client, storage.bucket, storage.region, origins.split(",")))
  yield* Effect.log(
    `bucket ${storage.bucket}: ${result.created ? "created" : "already there"}; CORS ${
      result.corsApplied ? `allows ${origins}` : "not supported per bucket by this store: configure it on the server"
    }`
  )
})

await Effect.runPromise(program)
