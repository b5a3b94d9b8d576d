import { describe, expect, it } from "vitest"
import { dailyViewsFrom } from "./dailyViews.ts"

describe("dailyViewsFrom", () => {
  it("reads the API's series", () => {
    expect(dailyViewsFrom({ videoId: "x", days: [{ date: "2026-11-23", views: 2 }, { date: "2026-11-24", views: 0 }] }))
      .toEqual([{ date: "2026-11-23", views: 2 }, { date: "2026-11-24", views: 0 }])
  })

  it("drops what it cannot draw instead of drawing nonsense", () => {
    expect(dailyViewsFrom({ days: [{ date: "2026-11-23" }, { views: 3 }, null, { date: "2026-11-24", views: "4" }] })).toEqual([])
    expect(dailyViewsFrom(undefined)).toEqual([])
    expect(dailyViewsFrom({ days: "nope" })).toEqual([])
  })
})
