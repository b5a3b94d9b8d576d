import { Context, Effect, Layer, Option, Schema, SchemaGetter } from "effect"
import { SqlClient, SqlSchema } from "effect/sql"
import { type CatalogCursor, encodeCursor } from "./Cursor.ts"
import { Video, type VideoId, VideoStatus, VideoType, VideoVariant, Visibility } from "./Video.ts"

export interface NewVideo {
  readonly id: VideoId
  readonly title: string
  readonly description: string
  readonly visibility: Visibility
  readonly videoType: VideoType
  readonly status: VideoStatus
  readonly manageTokenHash: string
  readonly streamKeyHash?: string | undefined
  readonly originalKey?: string | undefined
  readonly originalSize?: number | undefined
  readonly originalFormat?: string | undefined
}

export interface VideoPatch {
  readonly title?: string | undefined
  readonly description?: string | undefined
  readonly visibility?: Visibility | undefined
}

export interface CatalogQuery {
  readonly limit: number
  readonly cursor: CatalogCursor | undefined
  readonly type: VideoType | undefined
  /** Undefined lists what a viewer can watch: READY and LIVE. */
  readonly status: VideoStatus | undefined
  readonly liveOnly: boolean
  readonly q: string | undefined
}

export interface CatalogPage {
  readonly items: ReadonlyArray<Video>
  readonly nextCursor: string | null
}

const VIDEO_COLUMNS = [
  "id", "title", "description", "status", "visibility", "video_type", "duration_seconds", "thumbnail_key",
  "original_key", "original_size", "original_format", "hls_manifest_key", "is_live_now", "views_today",
  "views_month", "views_total", "last_view_reset", "failure_reason", "created_at", "updated_at"
].join(", ")

// Postgres bigint arrives as a JS bigint; counters and sizes stay far below 2^53.
export const NumberFromBigInt = Schema.BigInt.pipe(Schema.decodeTo(Schema.Number, {
  decode: SchemaGetter.transform((value: bigint) => Number(value)),
  encode: SchemaGetter.transform((value: number) => BigInt(value))
}))

const VideoRow = Schema.Struct({
  ...Video.fields,
  originalSize: Schema.NullOr(NumberFromBigInt),
  viewsToday: NumberFromBigInt,
  viewsMonth: NumberFromBigInt,
  viewsTotal: NumberFromBigInt
}).pipe(Schema.decodeTo(Video))

const VariantRow = Schema.Struct({
  ...VideoVariant.fields,
  sizeBytes: Schema.NullOr(NumberFromBigInt)
}).pipe(Schema.decodeTo(VideoVariant))

/** The only place SQL about videos and their variants lives. */
export class VideoRepo extends Context.Service<VideoRepo, {
  create(input: NewVideo): Effect.Effect<Video>
  findById(id: VideoId): Effect.Effect<Option.Option<Video>>
  manageTokenHash(id: VideoId): Effect.Effect<Option.Option<string>>
  variants(id: VideoId): Effect.Effect<ReadonlyArray<VideoVariant>>
  listCatalog(query: CatalogQuery): Effect.Effect<CatalogPage>
  update(id: VideoId, patch: VideoPatch): Effect.Effect<Option.Option<Video>>
  remove(id: VideoId): Effect.Effect<boolean>
}>()("@reelbase/domain/VideoRepo") {
  static readonly layer = Layer.effect(
    VideoRepo,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // Explicit columns: the search tsvector stays in the database.
      const columns = sql.literal(VIDEO_COLUMNS)

      const insertVideo = SqlSchema.findOne({
        Request: Schema.Any,
        Result: VideoRow,
        execute: (input: NewVideo) => sql`INSERT INTO videos ${sql.insert({ ...input })} RETURNING ${columns}`
      })

      const selectById = SqlSchema.findOneOption({
        Request: Schema.String,
        Result: VideoRow,
        execute: (id) => sql`SELECT ${columns} FROM videos WHERE id = ${id}`
      })

      const selectVariants = SqlSchema.findAll({
        Request: Schema.String,
        Result: VariantRow,
        execute: (id) => sql`SELECT id, video_id, resolution, width, height, bitrate, codec, format, storage_key, size_bytes FROM video_variants WHERE video_id = ${id} ORDER BY height DESC`
      })

      const create = Effect.fn("VideoRepo.create")((input: NewVideo) => insertVideo(input).pipe(Effect.orDie))

      const findById = Effect.fn("VideoRepo.findById")((id: VideoId) => selectById(id).pipe(Effect.orDie))

      const manageTokenHash = Effect.fn("VideoRepo.manageTokenHash")(function*(id: VideoId) {
        const rows = yield* sql<{ manageTokenHash: string }>`SELECT manage_token_hash FROM videos WHERE id = ${id}`
        return Option.fromNullishOr(rows[0]?.manageTokenHash)
      }, Effect.orDie)

      const variants = Effect.fn("VideoRepo.variants")((id: VideoId) => selectVariants(id).pipe(Effect.orDie))

      const listCatalog = Effect.fn("VideoRepo.listCatalog")(function*(query: CatalogQuery) {
        const conditions = [
          sql`visibility = 'PUBLIC'`,
          query.status === undefined ? sql`status IN ('READY', 'LIVE')` : sql`status = ${query.status}`,
          ...(query.type === undefined ? [] : [sql`video_type = ${query.type}`]),
          ...(query.liveOnly ? [sql`is_live_now`] : []),
          ...(query.q === undefined ? [] : [sql`search @@ websearch_to_tsquery('simple', ${query.q})`]),
          ...(query.cursor === undefined
            ? []
            : [sql`(created_at, id) < (${query.cursor.createdAt}, ${query.cursor.id})`])
        ]
        // One row past the page tells whether another page exists.
        const rows = yield* sql`
          SELECT ${columns} FROM videos WHERE ${sql.and(conditions)}
          ORDER BY created_at DESC, id DESC
          LIMIT ${query.limit + 1}
        `
        const decoded = yield* Schema.decodeUnknownEffect(Schema.Array(VideoRow))(rows)
        const items = decoded.slice(0, query.limit)
        const last = items.at(-1)
        return {
          items,
          nextCursor: decoded.length > query.limit && last !== undefined
            ? encodeCursor({ createdAt: last.createdAt, id: last.id })
            : null
        }
      }, Effect.orDie)

      const update = Effect.fn("VideoRepo.update")(function*(id: VideoId, patch: VideoPatch) {
        const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))
        if (Object.keys(changes).length === 0) return yield* findById(id)
        const rows = yield* sql`
          UPDATE videos SET ${sql.update(changes)}, updated_at = date_trunc('milliseconds', now())
          WHERE id = ${id} RETURNING ${columns}
        `
        return yield* Schema.decodeUnknownEffect(Schema.Array(VideoRow))(rows).pipe(Effect.map((all) => Option.fromNullishOr(all[0])))
      }, Effect.orDie)

      const remove = Effect.fn("VideoRepo.remove")(function*(id: VideoId) {
        const rows = yield* sql`DELETE FROM videos WHERE id = ${id} RETURNING id`
        return rows.length > 0
      }, Effect.orDie)

      return VideoRepo.of({ create, findById, manageTokenHash, variants, listCatalog, update, remove })
    })
  )
}

/** For other repositories that read whole video rows (e.g. the most-viewed list): the columns and the row schema. */
export const videoColumnList = VIDEO_COLUMNS
export const VideoFromRow = VideoRow
