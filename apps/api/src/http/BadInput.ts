import { Cause, Effect, Option } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { HttpApiError } from "effect/http-api"
import { SchemaIssue } from "effect"

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const where: Record<HttpApiError.HttpApiSchemaError["kind"], string> = {
  Params: "path",
  Query: "query",
  Headers: "headers",
  Payload: "body",
  Body: "response body",
  ResponseHeaders: "response headers"
}

/**
 * Effect answers a request that fails its schema with an empty 400. Clients deserve to know which field
 * was wrong: this turns it into `{_tag: "BadRequest", message, issues: [{path, message}]}`.
 */
export const BadInputAsJson = HttpRouter.middleware(
  (httpEffect) =>
    Effect.catchCause(httpEffect, (cause) => {
      const schemaError = Option.fromNullishOr(
        cause.reasons.map((reason) => (Cause.isDieReason(reason) ? reason.defect : undefined)).find(HttpApiError.HttpApiSchemaError.is)
      )
      if (Option.isNone(schemaError) || !["Params", "Query", "Headers", "Payload"].includes(schemaError.value.kind)) {
        return Effect.failCause(cause)
      }
      const error = schemaError.value
      const issues = formatIssues(error.cause.issue).issues.map((issue) => ({
        path: issue.path?.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".") ?? "",
        message: issue.message
      }))
      const summary = issues
        .map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`))
        .join("; ")
      return Effect.succeed(
        HttpServerResponse.jsonUnsafe(
          { _tag: "BadRequest", message: `Invalid ${where[error.kind]}: ${summary}`, issues },
          { status: 400 }
        )
      )
    }),
  { global: true }
)
