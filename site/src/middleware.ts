// Cross-site request forgery guard for the site's forms (create a stream, the no-JS upload).
// Astro's own origin check compares with the URL the request arrived at, which behind a TLS proxy is
// http://… while browsers send https://…; the site's public origin is only known at run time (SITE_ORIGIN),
// so the check lives here instead.
import type { MiddlewareHandler } from "astro"
import { acceptsOrigin } from "./lib/origin.ts"

export const onRequest: MiddlewareHandler = (context, next) => {
  const { request, url } = context
  if (acceptsOrigin(request.method, request.headers.get("origin"), url.origin, process.env.SITE_ORIGIN)) return next()
  return new Response("Cross-site form submissions are refused: the page must come from this site.", {
    status: 403,
    headers: { "content-type": "text/plain; charset=utf-8" }
  })
}
