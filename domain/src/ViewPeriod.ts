import { Option } from "effect"

/** The counters that restart from zero: views_today each UTC day, views_month each UTC month. */
export type ViewPeriod = "day" | "month"

/**
 * A period a reset closes, as the workflow names it: `YYYY-MM-DD` for a day, `YYYY-MM` for a month.
 * Returns the first day of that period (`YYYY-MM-DD`), the key resets are recorded under, or none when the
 * text does not name a real day or month.
 */
export const periodStart = (period: ViewPeriod, closes: string): Option.Option<string> => {
  const match = period === "day" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(closes) : /^(\d{4})-(\d{2})$/.exec(closes)
  if (match === null) return Option.none()
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3] ?? "1")]
  const date = new Date(Date.UTC(year, month - 1, day))
  // Date.UTC rolls 2026-02-30 over into March: a real date survives the round trip unchanged.
  if (year < 2000 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return Option.none()
  }
  return Option.some(date.toISOString().slice(0, 10))
}
