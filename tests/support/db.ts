import { randomUUID } from "node:crypto"
import {
  DatabaseLayer,
  hashSecret,
  newSecret,
  type NewVideo,
  Storage,
  type Video,
  VideoId,
  VideoRepo
} from "@reelbase/domain"
import { Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"

/** Direct access to the test stack's Postgres and bucket, for arranging and checking state. */
export const services = ManagedRuntime.make(
  Layer.mergeAll(VideoRepo.layer, Storage.layer).pipe(Layer.provideMerge(DatabaseLayer))
)

export interface SeededVideo {
  readonly video: Video
  readonly manageToken: string
}

/** Inserts a video row as the upload and live flows would, returning its manage token. */
export const seedVideo = async (overrides: Partial<NewVideo> = {}): Promise<SeededVideo> => {
  const manageToken = newSecret()
  const video = await services.runPromise(
    VideoRepo.use((repo) =>
      repo.create({
        id: VideoId.make(randomUUID()),
        title: "A seeded video",
        description: "",
        visibility: "PUBLIC",
        videoType: "VOD",
        status: "READY",
        manageTokenHash: hashSecret(manageToken),
        ...overrides
      })
    )
  )
  return { video, manageToken }
}

export const sql = <A extends object>(strings: TemplateStringsArray, ...values: Array<unknown>) =>
  services.runPromise(SqlClient.SqlClient.use((client) => client<A>(strings, ...values)))
