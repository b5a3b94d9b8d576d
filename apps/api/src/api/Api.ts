import { HttpApi, OpenApi } from "effect/http-api"
import { AnalyticsApi } from "./Analytics.ts"
import { LiveApi } from "./Live.ts"
import { SystemApi } from "./System.ts"
import { UploadApi } from "./Upload.ts"
import { VideosApi } from "./Videos.ts"

export class Api extends HttpApi.make("reelbase")
  .add(SystemApi)
  .add(VideosApi)
  .add(AnalyticsApi)
  .add(LiveApi)
  .add(UploadApi)
  .annotateMerge(OpenApi.annotations({
    title: "Reelbase API",
    description: "Self-hosted video platform: uploads, adaptive HLS, live streams, view counts."
  }))
{}
