import { Context, Option, type Redacted } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"

/** The bearer token a request carried, if any: a video's manage token or the operator's ADMIN_TOKEN. */
export class PresentedToken extends Context.Service<PresentedToken, Option.Option<Redacted.Redacted<string>>>()(
  "@reelbase/api/PresentedToken"
) {}

/**
 * Reads `Authorization: Bearer <token>` without requiring it: public reads work without a token,
 * and each handler decides what the token must unlock.
 */
export class OptionalBearer extends HttpApiMiddleware.Service<OptionalBearer, { provides: PresentedToken }>()(
  "@reelbase/api/OptionalBearer",
  { security: { bearer: HttpApiSecurity.bearer } }
) {}

export const noToken = Option.none<Redacted.Redacted<string>>()
