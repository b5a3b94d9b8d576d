import { Effect, Layer, Option, Redacted } from "effect"
import { OptionalBearer, PresentedToken } from "../api/Security.ts"

export const OptionalBearerLayer = Layer.succeed(
  OptionalBearer,
  OptionalBearer.of({
    bearer: (httpEffect, { credential }) =>
      Effect.provideService(
        httpEffect,
        PresentedToken,
        Redacted.value(credential) === "" ? Option.none() : Option.some(credential)
      )
  })
)
