import { Context, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { VideoId } from "./Video.ts"

export interface LiveTimes {
  readonly liveStartedAt: Date | null
  readonly liveEndedAt: Date | null
}

export interface SealedRecording {
  readonly manifestKey: string
  readonly durationSeconds: number
}

/**
 * The live-stream side of `videos`: stream keys, going live, sealing the recording.
 * Every transition is guarded by the row's current state, so a late or repeated call never moves a
 * finished recording back to live.
 */
export class LiveRepo extends Context.Service<LiveRepo, {
  streamKeyHash(id: VideoId): Effect.Effect<Option.Option<string>>
  /** PENDING (or already LIVE) → LIVE, watchable at `manifestKey`; false when the row is gone or finished. */
  markLive(id: VideoId, manifestKey: string): Effect.Effect<boolean>
  setThumbnail(id: VideoId, thumbnailKey: string): Effect.Effect<void>
  /** → READY, no longer live, replayable at the sealed recording. */
  sealRecording(id: VideoId, recording: SealedRecording): Effect.Effect<boolean>
  /** A session that recorded nothing: back to PENDING, waiting for a publisher again. */
  backToWaiting(id: VideoId): Effect.Effect<boolean>
  times(id: VideoId): Effect.Effect<Option.Option<LiveTimes>>
}>()("@reelbase/domain/LiveRepo") {
  static readonly layer = Layer.effect(
    LiveRepo,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const now = sql`date_trunc('milliseconds', now())`

      const streamKeyHash = Effect.fn("LiveRepo.streamKeyHash")(function*(id: VideoId) {
        const rows = yield* sql<{ streamKeyHash: string | null }>`
          SELECT stream_key_hash FROM videos WHERE id = ${id} AND video_type = 'LIVE'`
        return Option.fromNullishOr(rows[0]?.streamKeyHash)
      }, Effect.orDie)

      const markLive = Effect.fn("LiveRepo.markLive")(function*(id: VideoId, manifestKey: string) {
        const rows = yield* sql`
          UPDATE videos
          SET status = 'LIVE', is_live_now = true, hls_manifest_key = ${manifestKey},
              live_started_at = coalesce(live_started_at, ${now}), updated_at = ${now}
          WHERE id = ${id} AND video_type = 'LIVE' AND status IN ('PENDING', 'LIVE')
          RETURNING id`
        return rows.length > 0
      }, Effect.orDie)

      const setThumbnail = Effect.fn("LiveRepo.setThumbnail")(function*(id: VideoId, thumbnailKey: string) {
        yield* sql`UPDATE videos SET thumbnail_key = ${thumbnailKey}, updated_at = ${now} WHERE id = ${id}`
      }, Effect.orDie)

      const sealRecording = Effect.fn("LiveRepo.sealRecording")(function*(id: VideoId, recording: SealedRecording) {
        const rows = yield* sql`
          UPDATE videos
          SET status = 'READY', is_live_now = false, hls_manifest_key = ${recording.manifestKey},
              duration_seconds = ${recording.durationSeconds},
              live_ended_at = coalesce(live_ended_at, ${now}), updated_at = ${now}
          WHERE id = ${id} AND video_type = 'LIVE'
          RETURNING id`
        return rows.length > 0
      }, Effect.orDie)

      const backToWaiting = Effect.fn("LiveRepo.backToWaiting")(function*(id: VideoId) {
        const rows = yield* sql`
          UPDATE videos
          SET status = 'PENDING', is_live_now = false, hls_manifest_key = NULL, live_started_at = NULL, updated_at = ${now}
          WHERE id = ${id} AND video_type = 'LIVE' AND status IN ('PENDING', 'LIVE')
          RETURNING id`
        return rows.length > 0
      }, Effect.orDie)

      const times = Effect.fn("LiveRepo.times")(function*(id: VideoId) {
        const rows = yield* sql<LiveTimes>`SELECT live_started_at, live_ended_at FROM videos WHERE id = ${id}`
        return Option.fromNullishOr(rows[0])
      }, Effect.orDie)

      return LiveRepo.of({ streamKeyHash, markLive, setThumbnail, sealRecording, backToWaiting, times })
    })
  )
}
