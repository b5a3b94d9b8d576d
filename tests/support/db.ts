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
import { Effect, Layer, ManagedRuntime } from "effect"
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

/**
 * Holds a row lock on the video from another transaction while `during` fires requests, until the apps'
 * statements queued behind it stop growing in number, then lets go: the requests then race each other for real,
 * however fast the machine would otherwise have run them one after another. (The API batches views, so how many
 * statements the requests become is not known in advance.)
 */
export const withVideoRowLocked = async <A>(videoId: string, during: () => Promise<A>): Promise<A> => {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let locked!: () => void
  const isLocked = new Promise<void>((resolve) => (locked = resolve))
  const holder = services.runPromise(SqlClient.SqlClient.use((client) =>
    client.withTransaction(Effect.gen(function*() {
      yield* client`SELECT 1 FROM videos WHERE id = ${videoId} FOR UPDATE`
      locked()
      yield* Effect.promise(() => released)
    }))
  ))
  await isLocked
  const result = during()
  try {
    const deadline = Date.now() + 60_000
    let last = -1
    let steady = 0
    while (steady < 20) {
      const [row] = await sql<{ waiting: bigint }>`
        SELECT count(*) AS waiting FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND application_name = 'reelbase' AND datname = current_database()`
      const waiting = Number(row!.waiting)
      steady = waiting > 0 && waiting === last ? steady + 1 : 0
      last = waiting
      if (Date.now() > deadline) throw new Error("no statement queued behind the lock")
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  } finally {
    release()
    await holder
  }
  return result
}
