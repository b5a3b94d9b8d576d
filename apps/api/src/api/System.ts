import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"

export const Health = Schema.Struct({ status: Schema.Literal("ok") })

export const Readiness = Schema.Struct({
  status: Schema.Literals(["ready", "unavailable"]),
  checks: Schema.Struct({
    postgres: Schema.String,
    storage: Schema.String,
    temporal: Schema.String
  })
})

export class NotReady extends Schema.TaggedError<NotReady>()(
  "NotReady",
  {
    message: Schema.String,
    checks: Schema.Struct({ postgres: Schema.String, storage: Schema.String, temporal: Schema.String })
  },
  { httpApiStatus: 503 }
) {}

export class SystemApi extends HttpApiGroup.make("system", { topLevel: true })
  .add(
    HttpApiEndpoint.get("health", "/health", { success: Health }),
    HttpApiEndpoint.get("ready", "/ready", { success: Readiness, error: NotReady })
  )
  .annotateMerge(OpenApi.annotations({
    title: "System",
    description: "Liveness (the process answers) and readiness (Postgres, storage and Temporal answer)"
  }))
{}
