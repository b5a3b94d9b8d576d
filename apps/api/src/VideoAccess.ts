import { type Video, type VideoId, VideoRepo, secretMatches } from "@reelbase/domain"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { ApiConfig } from "./Config.ts"
import { Forbidden, Unauthorized, VideoNotFound } from "./api/Errors.ts"

/** Who may see and change a video: anyone for PUBLIC/UNLISTED reads, its manage token or ADMIN_TOKEN for the rest. */
export class VideoAccess extends Context.Service<VideoAccess, {
  /** The video if the token (or its visibility) lets the caller see it; PRIVATE ones stay hidden as 404. */
  readable(id: VideoId, token: Option.Option<Redacted.Redacted<string>>): Effect.Effect<Video, VideoNotFound>
  /** The video if the token may change it. */
  manageable(
    id: VideoId,
    token: Option.Option<Redacted.Redacted<string>>
  ): Effect.Effect<Video, VideoNotFound | Unauthorized | Forbidden>
  /** Whether the token unlocks the video (manage token or admin token). */
  canManage(id: VideoId, token: Option.Option<Redacted.Redacted<string>>): Effect.Effect<boolean>
}>()("@reelbase/api/VideoAccess") {
  static readonly layer = Layer.effect(
    VideoAccess,
    Effect.gen(function*() {
      const repo = yield* VideoRepo
      const { adminToken } = yield* ApiConfig

      const isAdmin = (token: string) =>
        Option.match(adminToken, { onNone: () => false, onSome: (admin) => Redacted.value(admin) === token })

      const canManage = Effect.fn("VideoAccess.canManage")(function*(
        id: VideoId,
        token: Option.Option<Redacted.Redacted<string>>
      ) {
        const presented = Option.getOrElse(Option.map(token, Redacted.value), () => "")
        if (presented === "") return false
        if (isAdmin(presented)) return true
        const hash = yield* repo.manageTokenHash(id)
        return Option.match(hash, { onNone: () => false, onSome: (stored) => secretMatches(presented, stored) })
      })

      const readable = Effect.fn("VideoAccess.readable")(function*(
        id: VideoId,
        token: Option.Option<Redacted.Redacted<string>>
      ) {
        const video = yield* repo.findById(id).pipe(Effect.flatMap(Effect.fromOption), Effect.mapError(() => VideoNotFound.forId(id)))
        if (video.visibility === "PRIVATE" && !(yield* canManage(id, token))) return yield* VideoNotFound.forId(id)
        return video
      })

      const manageable = Effect.fn("VideoAccess.manageable")(function*(
        id: VideoId,
        token: Option.Option<Redacted.Redacted<string>>
      ) {
        const video = yield* repo.findById(id).pipe(Effect.flatMap(Effect.fromOption), Effect.mapError(() => VideoNotFound.forId(id)))
        if (Option.isNone(token) || Redacted.value(token.value) === "") {
          return yield* new Unauthorized({ message: "This needs the video's manage token: Authorization: Bearer <manageToken>" })
        }
        if (!(yield* canManage(id, token))) {
          // A private video stays invisible to wrong tokens, as to no token at all on reads.
          if (video.visibility === "PRIVATE") return yield* VideoNotFound.forId(id)
          return yield* new Forbidden({ message: "That token does not manage this video" })
        }
        return video
      })

      return VideoAccess.of({ readable, manageable, canManage })
    })
  )
}
