import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { Video } from "@reelbase/domain"
import { Config, Context, Effect, Layer, Option, Redacted } from "effect"
import { ApiConfig } from "./Config.ts"

/**
 * Playback URLs for a video's stored media. Players fetch playlists and segments without custom headers,
 * so PRIVATE videos get a short-lived signed query parameter instead of the bearer token.
 */
export class MediaUrls extends Context.Service<MediaUrls, {
  /** `/api/media/<key>` for an object of the video, signed when the video is private. */
  url(video: Video, key: string | null): string | null
  /** The signature part appended to private media URLs (`t=...`), or undefined for public ones. */
  signature(video: Video): string | undefined
  /** Whether `t` is a valid, unexpired signature for the video. */
  verify(videoId: string, t: string): boolean
}>()("@reelbase/api/MediaUrls") {
  static readonly layer = Layer.effect(
    MediaUrls,
    Effect.gen(function*() {
      const { publicUrl } = yield* ApiConfig
      const configured = yield* Config.Redacted("MEDIA_SIGNING_SECRET").pipe(Config.option)
      const ttlSeconds = yield* Config.Int("MEDIA_URL_TTL_SECONDS").pipe(Config.withDefault(6 * 3600))
      // Several API replicas must share the secret; a single local process can make its own.
      const secret = Option.match(configured, {
        onSome: Redacted.value,
        onNone: () => randomBytes(32).toString("hex")
      })

      const mac = (videoId: string, expires: number) =>
        createHmac("sha256", secret).update(`${videoId}.${expires}`).digest("base64url")

      const signature = (video: Video) => {
        if (video.visibility !== "PRIVATE") return undefined
        const expires = Math.floor(Date.now() / 1000) + ttlSeconds
        return `${expires}.${mac(video.id, expires)}`
      }

      const url = (video: Video, key: string | null) => {
        if (key === null) return null
        const t = signature(video)
        return `${publicUrl}/api/media/${key}${t === undefined ? "" : `?t=${t}`}`
      }

      const verify = (videoId: string, t: string) => {
        const [expiresText, presented] = t.split(".")
        const expires = Number(expiresText)
        if (presented === undefined || !Number.isInteger(expires) || expires < Date.now() / 1000) return false
        const expected = Buffer.from(mac(videoId, expires))
        const given = Buffer.from(presented)
        return expected.length === given.length && timingSafeEqual(expected, given)
      }

      return MediaUrls.of({ url, signature, verify })
    })
  )
}
