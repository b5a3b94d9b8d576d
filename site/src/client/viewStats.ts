// The stats island: refreshes views today / this month / total and the 30-day chart every 30 s,
// and at once when this page's own view was counted. Paused while the tab is hidden.
import { viewsChart } from "../lib/chart.ts"
import { dailyViewsFrom } from "../lib/dailyViews.ts"
import { formatCount, formatDay } from "../lib/format.ts"
import { apiJson } from "./api.ts"
import { manageTokenFor } from "./myUploads.ts"
import { VIEW_COUNTED_EVENT } from "./events.ts"

const REFRESH_EVERY_MS = 30_000

interface Stats {
  readonly viewsToday: number
  readonly viewsMonth: number
  readonly viewsTotal: number
}

export const mountViewStats = (root: HTMLElement): void => {
  const videoId = root.dataset.videoId ?? ""
  const apiUrl = root.dataset.api ?? ""
  const base = `/api/analytics/stats/${encodeURIComponent(videoId)}`
  const chart = root.querySelector<HTMLElement>("[data-chart]")
  const plot = root.querySelector<HTMLElement>("[data-chart-plot]")
  const peak = root.querySelector<HTMLElement>("[data-chart-peak]")
  const first = root.querySelector<HTMLElement>("[data-chart-first]")
  const updated = root.querySelector<HTMLElement>("[data-stats-updated]")

  const showStats = (stats: Stats) => {
    for (const key of ["viewsToday", "viewsMonth", "viewsTotal"] as const) {
      const cell = root.querySelector<HTMLElement>(`[data-stat="${key}"]`)
      const text = formatCount(stats[key])
      if (cell && cell.textContent !== text) cell.textContent = text
    }
  }

  const showDaily = (body: unknown) => {
    const model = viewsChart(dailyViewsFrom(body))
    if (plot) {
      plot.innerHTML = model.svg
      plot.setAttribute("aria-label", model.summary)
    }
    if (peak) peak.textContent = model.peak > 0 ? `peak ${formatCount(model.peak)}/day` : ""
    if (first) first.textContent = model.firstDay ? formatDay(model.firstDay) : ""
    if (chart) chart.hidden = false
  }

  let inFlight = false
  const refresh = async () => {
    if (inFlight || document.visibilityState === "hidden") return
    inFlight = true
    const token = manageTokenFor(videoId)
    try {
      const [stats, daily] = await Promise.allSettled([
        apiJson<Stats>(apiUrl, base, { token }),
        apiJson<unknown>(apiUrl, `${base}/daily?days=30`, { token })
      ])
      if (stats.status === "fulfilled") showStats(stats.value)
      if (daily.status === "fulfilled") showDaily(daily.value)
      if (updated && stats.status === "fulfilled") {
        updated.textContent = `Updated ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })}`
      }
    } finally {
      inFlight = false
    }
  }

  window.setInterval(() => void refresh(), REFRESH_EVERY_MS)
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void refresh()
  })
  document.addEventListener(VIEW_COUNTED_EVENT, () => void refresh())
}
