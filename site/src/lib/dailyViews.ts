// The API's daily view series, read into the chart's shape (shared by the server page and the stats island).
import type { DailyViews } from "./chart.ts"

/** Accepts the daily series as a bare array or wrapped (`{days: [...]}`), with `views` or `count` per day. */
export const dailyViewsFrom = (body: unknown): ReadonlyArray<DailyViews> => {
  const list = Array.isArray(body)
    ? body
    : Object.values((body ?? {}) as Record<string, unknown>).find(Array.isArray) ?? []
  return (list as Array<Record<string, unknown>>).flatMap((entry) => {
    const date = entry.date ?? entry.day
    const views = entry.views ?? entry.count
    return typeof date === "string" && typeof views === "number" ? [{ date: date.slice(0, 10), views }] : []
  })
}
