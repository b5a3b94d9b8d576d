import { Effect } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"

const WHIP_PATH = /^\/api\/live\/[^/]+\/whip(\/[^/]+)?\/?$/

type Middleware = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest>

/**
 * WHIP clients send OPTIONS to the ingest URL and read `Accept-Post` to learn it takes SDP (RFC 9725 §4.1).
 * The CORS middleware answers every OPTIONS itself before any route runs, so the header is added to its answer.
 */
export const withWhipDiscovery = (cors: Middleware): Middleware => (app) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const answered = cors(app)
    if (request.method !== "OPTIONS" || !WHIP_PATH.test(new URL(request.url, "http://whip").pathname)) return answered
    return Effect.map(answered, (response) => HttpServerResponse.setHeader(response, "accept-post", "application/sdp"))
  })
