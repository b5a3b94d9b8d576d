// The 30-day views chart as inline SVG. One renderer for the server page and the refreshing island,
// so the first paint and every refresh look the same; no chart library is worth its bytes for bars.
import { formatCount, formatDay } from "./format.ts"

export interface DailyViews {
  /** A UTC day, `YYYY-MM-DD`. */
  readonly date: string
  readonly views: number
}

export const CHART_WIDTH = 300
export const CHART_HEIGHT = 100
const GAP_RATIO = 0.25

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value`, so the top of the scale is a round number. */
export const niceCeiling = (value: number): number => {
  if (value <= 1) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  const step = [1, 2, 5, 10].find((multiple) => multiple * magnitude >= value) ?? 10
  return step * magnitude
}

export interface ChartModel {
  readonly svg: string
  readonly total: number
  readonly peak: number
  readonly scaleTop: number
  readonly firstDay: string | undefined
  readonly lastDay: string | undefined
  /** One sentence describing the chart, for screen readers. */
  readonly summary: string
}

/**
 * Bars for each day, the last one (today) in the accent colour. The SVG stretches to its box
 * (`preserveAspectRatio="none"`); labels live in the surrounding HTML so they stay legible on phones.
 */
export const viewsChart = (days: ReadonlyArray<DailyViews>): ChartModel => {
  const total = days.reduce((sum, day) => sum + day.views, 0)
  const peak = days.reduce((max, day) => Math.max(max, day.views), 0)
  const scaleTop = niceCeiling(peak)
  const slot = days.length === 0 ? CHART_WIDTH : CHART_WIDTH / days.length
  const barWidth = slot * (1 - GAP_RATIO)
  const bars = days.map((day, index) => {
    // A day with views always shows at least a sliver, so "some" never looks like "none".
    const height = day.views === 0 ? 0 : Math.max(1.5, (day.views / scaleTop) * CHART_HEIGHT)
    const x = index * slot + (slot - barWidth) / 2
    const label = `${formatDay(day.date)}: ${formatCount(day.views)} ${day.views === 1 ? "view" : "views"}`
    const today = index === days.length - 1 ? " chart-bar-today" : ""
    return `<rect class="chart-bar${today}" x="${x.toFixed(2)}" y="${(CHART_HEIGHT - height).toFixed(2)}" ` +
      `width="${barWidth.toFixed(2)}" height="${height.toFixed(2)}"><title>${escapeXml(label)}</title></rect>`
  })
  const grid = [0, 0.5, 1].map((fraction) => {
    const y = (CHART_HEIGHT * fraction).toFixed(2)
    return `<line class="chart-grid" x1="0" x2="${CHART_WIDTH}" y1="${y}" y2="${y}" vector-effect="non-scaling-stroke"/>`
  })
  const svg = `<svg class="chart-svg" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" preserveAspectRatio="none" ` +
    `aria-hidden="true" focusable="false">${grid.join("")}${bars.join("")}</svg>`
  const firstDay = days[0]?.date
  const lastDay = days.at(-1)?.date
  const summary = days.length === 0
    ? "No daily view history yet."
    : `${formatCount(total)} ${total === 1 ? "view" : "views"} in the last ${days.length} days, ` +
      `at most ${formatCount(peak)} on one day.`
  return { svg, total, peak, scaleTop, firstDay, lastDay, summary }
}
