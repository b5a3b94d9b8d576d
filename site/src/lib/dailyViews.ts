// The API's daily view series (`GET /api/analytics/stats/:id/daily`), read into the chart's shape.
// Shared by the server page and the stats island; anything malformed is dropped, never drawn.
import type { DailyViews } from "./chart.ts"

/** `{videoId, days: [{date: "YYYY-MM-DD", views}]}`, oldest first, zero-filled by the API. */
export const dailyViewsFrom = (body: unknown): ReadonlyArray<DailyViews> => {
  const days = (body as { days?: unknown } | null | undefined)?.days
  if (!Array.isArray(days)) return []
  return days.flatMap((entry: { date?: unknown; views?: unknown } | null) =>
    typeof entry?.date === "string" && typeof entry.views === "number" && Number.isFinite(entry.views)
      ? [{ date: entry.date.slice(0, 10), views: entry.views }]
      : []
  )
}
