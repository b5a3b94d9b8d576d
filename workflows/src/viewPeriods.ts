// Pure date arithmetic for the view resets, safe inside the workflow sandbox.
import type { ViewPeriod } from "./shared.ts"

/**
 * The period a reset running at `at` closes: the UTC day (`YYYY-MM-DD`) or month (`YYYY-MM`) before the one
 * `at` falls in. The daily run scheduled for 00:00 on the 24th closes the 23rd however late it actually runs,
 * and a second run for the same time names the same period, which makes it a no-op.
 */
export const closedPeriod = (period: ViewPeriod, at: Date): string => {
  const year = at.getUTCFullYear()
  const month = at.getUTCMonth()
  if (period === "day") return new Date(Date.UTC(year, month, at.getUTCDate() - 1)).toISOString().slice(0, 10)
  return new Date(Date.UTC(year, month - 1, 1)).toISOString().slice(0, 7)
}
