// The HTTP API: catalog, uploads, live ingest, analytics, HLS playback.
import { createServer } from "node:http"
import { NodeHttpServer, NodeRuntime, NodeServices } from "@effect/platform-node"
import {
  DatabaseLayer,
  LiveRepo,
  MigrationsLayer,
  MultipartUploads,
  ProcessingRepo,
  Storage,
  VideoRepo,
  ViewsRepo
} from "@reelbase/domain"
import { Effect, Layer } from "effect"
import { HttpMiddleware, HttpRouter } from "effect/http"
import { HttpApiBuilder, HttpApiScalar } from "effect/http-api"
import { Api } from "./api/Api.ts"
import { ApiConfig } from "./Config.ts"
import { AnalyticsHandlers } from "./http/Analytics.ts"
import { BadInputAsJson } from "./http/BadInput.ts"
import { LiveHandlers } from "./http/Live.ts"
import { MediaRoutes } from "./http/Media.ts"
import { OptionalBearerLayer } from "./http/Security.ts"
import { SystemHandlers } from "./http/System.ts"
import { UploadHandlers } from "./http/Upload.ts"
import { VideosHandlers } from "./http/Videos.ts"
import { withWhipDiscovery } from "./http/WhipDiscovery.ts"
import { LiveSessions } from "./LiveSessions.ts"
import { MediaUrls } from "./MediaUrls.ts"
import { Temporal } from "./Temporal.ts"
import { Transcodes } from "./Transcodes.ts"
import { Uploads } from "./Uploads.ts"
import { VideoAccess } from "./VideoAccess.ts"
import { VideoPresenter } from "./VideoPresenter.ts"

/** Postgres with every migration applied before the first request is served. */
const DatabaseReady = MigrationsLayer.pipe(Layer.provide(NodeServices.layer), Layer.provideMerge(DatabaseLayer))

/** Uploads and transcodes (the VOD feature). */
const VodServices = Uploads.layer.pipe(
  Layer.provideMerge(Transcodes.layer),
  Layer.provideMerge(Layer.mergeAll(ProcessingRepo.layer, MultipartUploads.layer))
)

const Services = Layer.mergeAll(VideoAccess.layer, VideoPresenter.layer, LiveSessions.layer).pipe(
  Layer.provideMerge(VodServices),
  Layer.provideMerge(MediaUrls.layer),
  Layer.provideMerge(Layer.mergeAll(VideoRepo.layer, ViewsRepo.layer, LiveRepo.layer, Storage.layer, Temporal.layer)),
  Layer.provideMerge(DatabaseReady)
)

const ApiRoutes = HttpApiBuilder.layer(Api, { openapiPath: "/api/openapi.json" }).pipe(
  Layer.provide([SystemHandlers, VideosHandlers, AnalyticsHandlers, LiveHandlers, UploadHandlers]),
  Layer.provide(OptionalBearerLayer)
)

const Cors = Layer.unwrap(Effect.gen(function*() {
  const { siteOrigin } = yield* ApiConfig
  const cors = HttpMiddleware.cors({
    allowedOrigins: [siteOrigin],
    allowedMethods: ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type", "range", "if-none-match"],
    exposedHeaders: ["location", "etag", "content-range", "accept-ranges", "link"],
    maxAge: 600
  })
  return HttpRouter.middleware(withWhipDiscovery(cors), { global: true })
}))

export const AppRoutes = Layer.mergeAll(
  ApiRoutes,
  MediaRoutes,
  HttpApiScalar.layer(Api, { path: "/api/docs" }),
  BadInputAsJson,
  Cors
).pipe(Layer.provide(Services))

const HttpServerLive = Layer.unwrap(Effect.gen(function*() {
  const { port } = yield* ApiConfig
  return HttpRouter.serve(AppRoutes).pipe(Layer.provide(NodeHttpServer.layer(createServer, { port })))
}))

Layer.launch(HttpServerLive).pipe(NodeRuntime.runMain)
