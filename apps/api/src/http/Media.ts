import { NodeStream } from "@effect/platform-node"
import { type Video, VideoId, VideoRepo, Storage } from "@reelbase/domain"
import { Effect, Option, Redacted, Stream } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { parseRange } from "../media/ByteRange.ts"
import { contentTypeFor, isPlaylist, type MediaKey, parseMediaKey } from "../media/MediaKey.ts"
import { withQueryOnEveryUri } from "../media/Playlist.ts"
import { MediaUrls } from "../MediaUrls.ts"
import { VideoAccess } from "../VideoAccess.ts"

const PREFIX = "/api/media/"
const IMMUTABLE = "max-age=31536000, immutable"

const notFound = HttpServerResponse.jsonUnsafe({ _tag: "NotFound", message: "No such media" }, { status: 404 })

/**
 * Segments never change once written; playlists are final only once the video is READY and not live
 * (while transcoding the master playlist is replaced, while live the playlist grows).
 */
const cacheControl = (video: Video, media: MediaKey): string => {
  const scope = video.visibility === "PRIVATE" ? "private" : "public"
  const final = !isPlaylist(media) || (video.status === "READY" && !video.isLiveNow)
  return `${scope}, ${final ? IMMUTABLE : "no-cache"}`
}

const bearerOf = (request: HttpServerRequest.HttpServerRequest) => {
  const header = request.headers.authorization ?? ""
  return header.toLowerCase().startsWith("bearer ") ? Option.some(Redacted.make(header.slice(7).trim())) : Option.none()
}

/**
 * GET/HEAD /api/media/<key>: streams HLS playlists, segments and thumbnails from storage with the headers
 * players and caches rely on: content type, Range, ETag/304, Cache-Control. The bytes are never held whole.
 */
export const MediaRoutes = HttpRouter.use(Effect.fn(function*(router) {
  const repo = yield* VideoRepo
  const storage = yield* Storage
  const urls = yield* MediaUrls
  const access = yield* VideoAccess

  const serve = Effect.fn("Media.serve")(function*(request: HttpServerRequest.HttpServerRequest) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return HttpServerResponse.empty({ status: 405, headers: { allow: "GET, HEAD" } })
    }
    const url = new URL(request.url, "http://media")
    const media = parseMediaKey(decodeURIComponent(url.pathname.slice(PREFIX.length)))
    if (media === undefined) return notFound
    const video = Option.getOrUndefined(yield* repo.findById(VideoId.make(media.videoId)))
    if (video === undefined) return notFound

    if (video.visibility === "PRIVATE") {
      const t = url.searchParams.get("t")
      const allowed = (t !== null && urls.verify(video.id, t)) || (yield* access.canManage(video.id, bearerOf(request)))
      if (!allowed) return notFound
    }

    const info = Option.getOrUndefined(yield* storage.stat(media.key).pipe(Effect.orDie))
    if (info === undefined) return notFound
    const headers: Record<string, string> = {
      "cache-control": cacheControl(video, media),
      "accept-ranges": "bytes",
      "last-modified": info.lastModified.toUTCString()
    }
    const contentType = contentTypeFor(media)

    // A private playlist is rewritten so that every URI in it carries the playback signature.
    if (isPlaylist(media) && video.visibility === "PRIVATE") {
      const signature = urls.signature(video)!
      const body = yield* storage.read(media.key).pipe(
        Effect.flatMap((readable) => Effect.promise(async () => Buffer.concat(await readable.toArray()).toString("utf8"))),
        Effect.orDie
      )
      const signed = Buffer.from(withQueryOnEveryUri(body, "t", signature))
      return HttpServerResponse.uint8Array(request.method === "HEAD" ? new Uint8Array() : signed, {
        contentType,
        headers: { ...headers, "content-length": String(signed.length) }
      })
    }

    const etag = `"${info.etag.replaceAll('"', "")}"`
    headers.etag = etag
    if (request.headers["if-none-match"]?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
      return HttpServerResponse.empty({ status: 304, headers })
    }

    const range = parseRange(request.headers.range, info.size)
    if (range._tag === "Unsatisfiable") {
      return HttpServerResponse.empty({ status: 416, headers: { ...headers, "content-range": `bytes */${info.size}` } })
    }
    const [status, start, end] = range._tag === "Partial" ? [206, range.start, range.end] : [200, 0, info.size - 1]
    if (status === 206) headers["content-range"] = `bytes ${start}-${end}/${info.size}`
    const length = info.size === 0 ? 0 : end - start + 1

    if (request.method === "HEAD" || length === 0) {
      return HttpServerResponse.empty({ status, headers: { ...headers, "content-type": contentType, "content-length": String(length) } })
    }
    const readable = yield* storage.read(media.key, range._tag === "Partial" ? { start, end } : undefined).pipe(Effect.orDie)
    const body = NodeStream.fromReadable({ evaluate: () => readable }).pipe(Stream.orDie)
    return HttpServerResponse.stream(body, { status, headers, contentType, contentLength: length })
  })

  yield* router.add("*", `${PREFIX}*`, serve)
}))
