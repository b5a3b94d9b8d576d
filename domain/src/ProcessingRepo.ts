import { Context, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { VideoId, VideoStatus } from "./Video.ts"

/** One rendition of the finished ladder, as the transcode records it. */
export interface NewVariant {
  readonly resolution: string
  readonly width: number
  readonly height: number
  /** Peak bits per second, as the master playlist's BANDWIDTH. */
  readonly bitrate: number
  /** RFC 6381 codecs string, as the master playlist's CODECS. */
  readonly codec: string
  readonly format: string
  readonly storageKey: string
  readonly sizeBytes: number
}

export interface ReadyVideo {
  readonly durationSeconds: number
  readonly hlsManifestKey: string
  readonly variants: ReadonlyArray<NewVariant>
}

/**
 * The SQL of a VOD's way from upload to READY or FAILED. Every change is conditional on the state it expects,
 * so a late or repeated step (a retried activity, a second `complete`) never moves a video backwards.
 */
export class ProcessingRepo extends Context.Service<ProcessingRepo, {
  /** Records the size of an original the API streamed to storage itself. */
  recordOriginalSize(id: VideoId, size: number): Effect.Effect<void>
  /** PENDING becomes PROCESSING; returns the status afterwards, or None when the video no longer exists. */
  markProcessing(id: VideoId): Effect.Effect<Option.Option<VideoStatus>>
  /** Makes the video playable while it is still PROCESSING; false when it is not (any more). */
  publishPlayback(id: VideoId, hlsManifestKey: string): Effect.Effect<boolean>
  setThumbnail(id: VideoId, thumbnailKey: string): Effect.Effect<boolean>
  /** Variants, duration, master playlist and READY, in one transaction; false when the video is gone. */
  markReady(id: VideoId, ready: ReadyVideo): Effect.Effect<boolean>
  /**
   * PENDING or PROCESSING becomes FAILED with the reason, and stops pointing at outputs (an early rendition,
   * a thumbnail) the failed transcode may have left; false when the video is gone or already finished.
   */
  markFailed(id: VideoId, reason: string): Effect.Effect<boolean>
}>()("@reelbase/domain/ProcessingRepo") {
  static readonly layer = Layer.effect(
    ProcessingRepo,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const now = sql`date_trunc('milliseconds', now())`

      const recordOriginalSize = Effect.fn("ProcessingRepo.recordOriginalSize")(function*(id: VideoId, size: number) {
        yield* sql`UPDATE videos SET original_size = ${size}, updated_at = ${now} WHERE id = ${id}`
      }, Effect.orDie)

      const markProcessing = Effect.fn("ProcessingRepo.markProcessing")(function*(id: VideoId) {
        const rows = yield* sql<{ status: VideoStatus }>`
          UPDATE videos
          SET status = CASE WHEN status = 'PENDING' THEN 'PROCESSING'::video_status ELSE status END,
              updated_at = CASE WHEN status = 'PENDING' THEN ${now} ELSE updated_at END
          WHERE id = ${id}
          RETURNING status
        `
        return Option.fromNullishOr(rows[0]?.status)
      }, Effect.orDie)

      const publishPlayback = Effect.fn("ProcessingRepo.publishPlayback")(function*(id: VideoId, hlsManifestKey: string) {
        const rows = yield* sql`
          UPDATE videos SET hls_manifest_key = ${hlsManifestKey}, updated_at = ${now}
          WHERE id = ${id} AND status = 'PROCESSING'
          RETURNING id
        `
        return rows.length > 0
      }, Effect.orDie)

      const setThumbnail = Effect.fn("ProcessingRepo.setThumbnail")(function*(id: VideoId, thumbnailKey: string) {
        const rows = yield* sql`
          UPDATE videos SET thumbnail_key = ${thumbnailKey}, updated_at = ${now} WHERE id = ${id} RETURNING id
        `
        return rows.length > 0
      }, Effect.orDie)

      const markReady = Effect.fn("ProcessingRepo.markReady")(function*(id: VideoId, ready: ReadyVideo) {
        return yield* sql.withTransaction(Effect.gen(function*() {
          // The row lock keeps a concurrent delete from interleaving with the variant rows.
          const locked = yield* sql`SELECT id FROM videos WHERE id = ${id} FOR UPDATE`
          if (locked.length === 0) return false
          // A retried finalize replaces what an earlier attempt wrote.
          yield* sql`DELETE FROM video_variants WHERE video_id = ${id}`
          const [first, ...rest] = ready.variants.map((variant) => ({ ...variant, videoId: id }))
          if (first !== undefined) yield* sql`INSERT INTO video_variants ${sql.insert([first, ...rest])}`
          yield* sql`
            UPDATE videos
            SET status = 'READY', duration_seconds = ${ready.durationSeconds}, hls_manifest_key = ${ready.hlsManifestKey},
                failure_reason = NULL, updated_at = ${now}
            WHERE id = ${id}
          `
          return true
        }))
      }, Effect.orDie)

      const markFailed = Effect.fn("ProcessingRepo.markFailed")(function*(id: VideoId, reason: string) {
        const rows = yield* sql`
          UPDATE videos
          SET status = 'FAILED', failure_reason = ${reason}, hls_manifest_key = NULL, thumbnail_key = NULL, updated_at = ${now}
          WHERE id = ${id} AND status IN ('PENDING', 'PROCESSING')
          RETURNING id
        `
        return rows.length > 0
      }, Effect.orDie)

      return ProcessingRepo.of({ recordOriginalSize, markProcessing, publishPlayback, setThumbnail, markReady, markFailed })
    })
  )
}
