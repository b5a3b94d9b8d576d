// Which origins may submit the site's forms. Pure.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * Reads are always fine. Writes must carry an `Origin` (every current browser sends one on POST) that is the
 * site's public origin (`SITE_ORIGIN`, as browsers reach it through any proxy) or the origin the request
 * arrived at directly.
 */
export const acceptsOrigin = (
  method: string,
  origin: string | null,
  requestOrigin: string,
  siteOrigin: string | undefined
): boolean => {
  if (SAFE_METHODS.has(method.toUpperCase())) return true
  if (origin === null || origin === "null") return false
  const allowed = [requestOrigin, ...(siteOrigin ?? "").split(",")].map((entry) => entry.trim().replace(/\/$/, "")).filter(Boolean)
  return allowed.includes(origin)
}
