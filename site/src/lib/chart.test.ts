import { describe, expect, it } from "vitest"
import { niceCeiling, viewsChart } from "./chart.ts"

const days = (views: ReadonlyArray<number>) =>
  views.map((count, index) => ({ date: `2026-11-${String(index + 1).padStart(2, "0")}`, views: count }))

describe("niceCeiling", () => {
  it.each([[0, 1], [1, 1], [3, 5], [7, 10], [12, 20], [45, 50], [51, 100], [180, 200], [2001, 5000]])(
    "%s rounds up to %s",
    (value, top) => expect(niceCeiling(value)).toBe(top)
  )
})

describe("viewsChart", () => {
  it("draws one bar per day scaled to a round top, today highlighted, with totals", () => {
    const chart = viewsChart(days([0, 5, 10, 3]))
    expect(chart.total).toBe(18)
    expect(chart.peak).toBe(10)
    expect(chart.scaleTop).toBe(10)
    const bars = [...chart.svg.matchAll(/<rect class="([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)">/g)]
    expect(bars.map((bar) => Number(bar[3]))).toEqual([0, 50, 100, 30])
    expect(bars.map((bar) => bar[1])).toEqual(["chart-bar", "chart-bar", "chart-bar", "chart-bar chart-bar-today"])
    expect(chart.svg).toContain("<title>Nov 3: 10 views</title>")
    expect(chart.svg).toContain("<title>Nov 1: 0 views</title>")
    expect(chart.summary).toBe("18 views in the last 4 days, at most 10 on one day.")
    expect(chart.firstDay).toBe("2026-11-01")
    expect(chart.lastDay).toBe("2026-11-04")
  })

  it("shows a sliver for a day with few views next to a big one", () => {
    const chart = viewsChart(days([1, 1000]))
    expect(chart.svg).toMatch(/height="1\.50"><title>Nov 1: 1 view<\/title>/)
  })

  it("renders an empty history without dividing by zero", () => {
    const chart = viewsChart([])
    expect(chart.svg).not.toContain("NaN")
    expect(chart.summary).toBe("No daily view history yet.")
  })

  it("escapes what it writes into the SVG", () => {
    const chart = viewsChart([{ date: "2026-11-01<script>", views: 1 }])
    expect(chart.svg).not.toContain("<script>")
  })
})
