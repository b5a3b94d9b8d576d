import { Description, Title, VideoId, VideoStatus, Visibility } from "@reelbase/domain"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable, Unauthorized, VideoNotFound } from "./Errors.ts"
import { OptionalBearer } from "./Security.ts"
import { VideoJson } from "./Videos.ts"

/** The stream is over; its recording is a video now. Publishing again needs a new stream. */
export class StreamEnded extends Schema.TaggedError<StreamEnded>()(
  "StreamEnded",
  { message: Schema.String },
  { httpApiStatus: 410 }
) {}

/** WHIP sessions take no PATCH: this server needs neither trickle ICE nor ICE restarts. */
export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()(
  "MethodNotAllowed",
  { message: Schema.String },
  { httpApiStatus: 405 }
) {}

export const LiveCreate = Schema.Struct({
  title: Title,
  description: Schema.optional(Description),
  visibility: Schema.optional(Visibility)
})

export class LiveCreated extends Schema.Class<LiveCreated>("LiveCreated")({
  videoId: VideoId,
  /** The publisher's secret (WHIP bearer token). Shown once; only its hash is stored. */
  streamKey: Schema.String,
  /** JSON signalling: POST {type: "offer", sdp} with the stream key, get {type: "answer", sdp}. */
  webrtcSignalUrl: Schema.String,
  /** WHIP ingest URL (RFC 9725) for browsers and encoders such as OBS. */
  whipUrl: Schema.String,
  /** Manages the video (start, stop, edit, delete). Shown once; only its hash is stored. */
  manageToken: Schema.String
}) {}

export class LiveStatus extends Schema.Class<LiveStatus>("LiveStatus")({
  videoId: VideoId,
  isLiveNow: Schema.Boolean,
  status: VideoStatus,
  /** The live playlist while live, the recording once READY; null before the first segment. */
  hlsUrl: Schema.NullOr(Schema.String),
  viewsTotal: Schema.Number,
  /** When the stream first became watchable (ISO 8601). */
  liveStartedAt: Schema.NullOr(Schema.String),
  /** When the recording was sealed (ISO 8601). */
  liveEndedAt: Schema.NullOr(Schema.String)
}) {}

export const LiveNow = Schema.Struct({ items: Schema.Array(VideoJson) })

export const SignalOffer = Schema.Struct({ type: Schema.Literal("offer"), sdp: Schema.String })
export const SignalAnswer = Schema.Struct({ type: Schema.Literal("answer"), sdp: Schema.String })

const Sdp = Schema.String.pipe(HttpApiSchema.asText({ contentType: "application/sdp" }))

const publishErrors = [BadRequest, Unauthorized, VideoNotFound, Conflict, StreamEnded, ServiceUnavailable]
const manageErrors = [VideoNotFound, Unauthorized, Forbidden, StreamEnded, ServiceUnavailable]

export class LiveApi extends HttpApiGroup.make("live")
  .add(
    HttpApiEndpoint.post("create", "/create", {
      payload: LiveCreate,
      success: LiveCreated.pipe(HttpApiSchema.status(201)),
      error: ServiceUnavailable
    }).annotate(
      OpenApi.Description,
      "Creates a live stream (a LIVE video, PENDING until media arrives) and its session workflow, which waits for a publisher."
    ),
    HttpApiEndpoint.get("list", "/", { success: LiveNow })
      .annotate(OpenApi.Description, "Public streams live right now, newest first."),
    HttpApiEndpoint.get("status", "/:id/status", {
      params: { id: VideoId },
      success: LiveStatus,
      error: VideoNotFound
    }).annotate(OpenApi.Description, "Whether the stream is live, and where to watch it. PRIVATE streams need the manage token."),
    HttpApiEndpoint.post("start", "/:id/start", {
      params: { id: VideoId },
      success: LiveStatus,
      error: manageErrors
    }).annotate(
      OpenApi.Description,
      "Opens the stream for a publisher again if its session stopped waiting (manage token). Idempotent; publishing over WHIP does this by itself."
    ),
    HttpApiEndpoint.post("stop", "/:id/stop", {
      params: { id: VideoId },
      success: LiveStatus,
      error: manageErrors
    }).annotate(
      OpenApi.Description,
      "Ends the stream (manage token). Answers once the recording is sealed: READY, no longer live, replayable at hlsUrl."
    ),
    HttpApiEndpoint.post("signal", "/:id/signal", {
      params: { id: VideoId },
      payload: SignalOffer,
      success: SignalAnswer,
      error: publishErrors
    }).annotate(
      OpenApi.Description,
      "JSON signalling (stream key as bearer token): the same ingest as WHIP, for clients of the original API."
    ),
    HttpApiEndpoint.post("whipPublish", "/:id/whip", {
      params: { id: VideoId },
      payload: Sdp,
      success: Sdp.pipe(HttpApiSchema.status(201)),
      error: publishErrors
    }).annotate(
      OpenApi.Description,
      "WHIP ingest (RFC 9725): POST an SDP offer (Content-Type: application/sdp) with `Authorization: Bearer <streamKey>`; " +
        "201 with the SDP answer and the session's URL in Location. 401 wrong key, 409 already published, 400 not an offer, " +
        "410 stream ended. No trickle ICE needed: the answer carries every candidate."
    ),
    HttpApiEndpoint.delete("whipEnd", "/:id/whip/:sessionId", {
      params: { id: VideoId, sessionId: Schema.String },
      success: HttpApiSchema.Empty(200),
      error: [Unauthorized, VideoNotFound, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Ends a WHIP session (stream key); answers once the recording is sealed."),
    HttpApiEndpoint.patch("whipPatch", "/:id/whip/:sessionId", {
      params: { id: VideoId, sessionId: Schema.String },
      success: HttpApiSchema.Empty(204),
      error: MethodNotAllowed
    }).annotate(OpenApi.Description, "Trickle ICE and ICE restarts are not supported: always 405.")
  )
  .middleware(OptionalBearer)
  .prefix("/api/live")
  .annotateMerge(OpenApi.annotations({
    title: "Live",
    description: "Webcam streams published over WHIP, watched as low-latency HLS, kept as a video when they end"
  }))
{}
