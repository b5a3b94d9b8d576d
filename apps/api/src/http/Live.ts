import { randomUUID } from "node:crypto"
import {
  checkOffer,
  hashSecret,
  LiveRepo,
  newSecret,
  secretMatches,
  type Video,
  VideoId,
  VideoRepo
} from "@reelbase/domain"
import { Effect, Option, Redacted } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../api/Api.ts"
import { BadRequest, Conflict, ServiceUnavailable, Unauthorized, VideoNotFound } from "../api/Errors.ts"
import { LiveCreated, LiveStatus, MethodNotAllowed, StreamEnded } from "../api/Live.ts"
import { PresentedToken } from "../api/Security.ts"
import { ApiConfig } from "../Config.ts"
import { type LiveSessionError, LiveSessions } from "../LiveSessions.ts"
import { MediaUrls } from "../MediaUrls.ts"
import { VideoAccess } from "../VideoAccess.ts"
import { VideoPresenter } from "../VideoPresenter.ts"

const ENDED_MESSAGE = "This live stream has ended; its recording is a video now. Create a new stream to go live again."

/** The session's refusals as the HTTP errors the contract promises. */
const publishRefusal = (error: LiveSessionError) => {
  switch (error.failureType) {
    case "BadOffer":
      return new BadRequest({ message: error.message })
    case "PublisherConflict":
      return new Conflict({ message: error.message })
    case "StreamEnded":
      return new StreamEnded({ message: ENDED_MESSAGE })
    case "StreamNotFound":
    case "UnknownSession":
      return new VideoNotFound({ message: error.message })
    default:
      return new ServiceUnavailable({ message: error.message })
  }
}

const isEnded = (video: Video) => video.status === "READY" || video.status === "FAILED"

export const LiveHandlers = HttpApiBuilder.group(
  Api,
  "live",
  Effect.fn(function*(handlers) {
    const videos = yield* VideoRepo
    const live = yield* LiveRepo
    const access = yield* VideoAccess
    const presenter = yield* VideoPresenter
    const urls = yield* MediaUrls
    const sessions = yield* LiveSessions
    const { publicUrl } = yield* ApiConfig

    const statusOf = Effect.fn("Live.statusOf")(function*(video: Video) {
      const times = Option.getOrUndefined(yield* live.times(video.id))
      return new LiveStatus({
        videoId: video.id,
        isLiveNow: video.isLiveNow,
        status: video.status,
        hlsUrl: urls.url(video, video.hlsManifestKey),
        viewsTotal: video.viewsTotal,
        liveStartedAt: times?.liveStartedAt?.toISOString() ?? null,
        liveEndedAt: times?.liveEndedAt?.toISOString() ?? null
      })
    })

    const reload = (id: VideoId) =>
      videos.findById(id).pipe(Effect.flatMap(Effect.fromOption), Effect.mapError(() => VideoNotFound.forId(id)))

    /** Whether the request carries the stream's key: WHIP, JSON signalling and WHIP DELETE all need it. */
    const presentsStreamKey = Effect.fn("Live.presentsStreamKey")(function*(id: VideoId) {
      const token = yield* PresentedToken
      const stored = yield* live.streamKeyHash(id)
      if (Option.isNone(stored)) return yield* new VideoNotFound({ message: `No live stream with id ${id}` })
      if (Option.isNone(token) || !secretMatches(Redacted.value(token.value), stored.value)) {
        return yield* new Unauthorized({ message: "This needs the stream's key: Authorization: Bearer <streamKey>" })
      }
    })

    const authorizePublisher = Effect.fn("Live.authorizePublisher")(function*(id: VideoId) {
      yield* presentsStreamKey(id)
      const video = yield* reload(id)
      if (isEnded(video)) return yield* new StreamEnded({ message: ENDED_MESSAGE })
      return video
    })

    /** Checks the offer, hands it to the session and returns its WHIP session id and the ingest's answer. */
    const publish = Effect.fn("Live.publish")(function*(id: VideoId, offerSdp: string) {
      const video = yield* authorizePublisher(id)
      const check = checkOffer(offerSdp)
      if (check._tag === "Invalid") return yield* new BadRequest({ message: `Not a usable SDP offer: ${check.reason}` })
      const sessionId = randomUUID()
      const answer = yield* sessions.publish(video.id, sessionId, offerSdp).pipe(Effect.mapError(publishRefusal))
      return { sessionId: answer.sessionId, answerSdp: answer.answerSdp }
    })

    const sessionPath = (id: VideoId, sessionId: string) => `/api/live/${id}/whip/${sessionId}`

    return handlers.handleAll({
      create: Effect.fn("Live.create")(function*({ payload }) {
        const id = VideoId.make(randomUUID())
        const streamKey = newSecret()
        const manageToken = newSecret()
        yield* videos.create({
          id,
          title: payload.title,
          description: payload.description ?? "",
          visibility: payload.visibility ?? "PUBLIC",
          videoType: "LIVE",
          status: "PENDING",
          manageTokenHash: hashSecret(manageToken),
          streamKeyHash: hashSecret(streamKey)
        })
        // The row first: once the session exists it may look the row up. If Temporal is down, no half-made stream stays.
        yield* sessions.ensure(id).pipe(
          Effect.catch(() =>
            videos.remove(id).pipe(
              Effect.andThen(Effect.fail(new ServiceUnavailable({ message: "Temporal is unavailable, so no stream was created; try again shortly" })))
            )
          )
        )
        return new LiveCreated({
          videoId: id,
          streamKey,
          webrtcSignalUrl: `${publicUrl}/api/live/${id}/signal`,
          whipUrl: `${publicUrl}/api/live/${id}/whip`,
          manageToken
        })
      }),

      list: Effect.fn("Live.list")(function*() {
        const page = yield* videos.listCatalog({
          limit: 100,
          cursor: undefined,
          type: "LIVE",
          status: "LIVE",
          liveOnly: true,
          q: undefined
        })
        return { items: page.items.map(presenter.summary) }
      }),

      status: Effect.fn("Live.status")(function*({ params }) {
        const video = yield* access.readable(params.id, yield* PresentedToken)
        if (video.videoType !== "LIVE") return yield* new VideoNotFound({ message: `No live stream with id ${params.id}` })
        return yield* statusOf(video)
      }),

      start: Effect.fn("Live.start")(function*({ params }) {
        const video = yield* access.manageable(params.id, yield* PresentedToken)
        if (video.videoType !== "LIVE") return yield* new VideoNotFound({ message: `No live stream with id ${params.id}` })
        if (isEnded(video)) return yield* new StreamEnded({ message: ENDED_MESSAGE })
        yield* sessions.ensure(video.id).pipe(Effect.mapError((error) => new ServiceUnavailable({ message: error.message })))
        return yield* statusOf(video)
      }),

      stop: Effect.fn("Live.stop")(function*({ params }) {
        const video = yield* access.manageable(params.id, yield* PresentedToken)
        if (video.videoType !== "LIVE") return yield* new VideoNotFound({ message: `No live stream with id ${params.id}` })
        yield* sessions.stop(video.id).pipe(Effect.mapError((error) => new ServiceUnavailable({ message: error.message })))
        return yield* statusOf(yield* reload(video.id))
      }),

      signal: Effect.fn("Live.signal")(function*({ params, payload }) {
        const { sessionId, answerSdp } = yield* publish(params.id, payload.sdp)
        return HttpServerResponse.jsonUnsafe(
          { type: "answer", sdp: answerSdp },
          { headers: { location: sessionPath(params.id, sessionId) } }
        )
      }),

      whipPublish: Effect.fn("Live.whipPublish")(function*({ params, payload }) {
        const { sessionId, answerSdp } = yield* publish(params.id, payload)
        return HttpServerResponse.text(answerSdp, {
          status: 201,
          contentType: "application/sdp",
          headers: { location: sessionPath(params.id, sessionId) }
        })
      }),

      whipEnd: Effect.fn("Live.whipEnd")(function*({ params }) {
        yield* presentsStreamKey(params.id)
        yield* sessions.stop(params.id, params.sessionId).pipe(
          Effect.mapError((error) =>
            error.failureType === "UnknownSession"
              ? new VideoNotFound({ message: "No such WHIP session on this stream" })
              : new ServiceUnavailable({ message: error.message })
          )
        )
        return HttpServerResponse.empty({ status: 200 })
      }),

      whipPatch: () =>
        Effect.fail(new MethodNotAllowed({ message: "This server needs neither trickle ICE nor ICE restarts: the answer carries every candidate" }))
    })
  })
)
