import { Option } from "effect"
import { describe, expect, it } from "vitest"
import { periodStart } from "./ViewPeriod.ts"

describe("periodStart", () => {
  it("keys a day by itself and a month by its first day", () => {
    expect(periodStart("day", "2026-11-23")).toEqual(Option.some("2026-11-23"))
    expect(periodStart("day", "2028-02-29")).toEqual(Option.some("2028-02-29"))
    expect(periodStart("month", "2026-10")).toEqual(Option.some("2026-10-01"))
    expect(periodStart("month", "2026-12")).toEqual(Option.some("2026-12-01"))
  })

  it.each([
    ["day", "2026-02-30"],
    ["day", "2027-02-29"],
    ["day", "2026-13-01"],
    ["day", "2026-11"],
    ["day", "2026-11-23T00:00:00Z"],
    ["day", "1999-12-31"],
    ["month", "2026-11-01"],
    ["month", "2026-00"],
    ["month", "26-11"],
    ["month", ""]
  ] as const)("rejects a %s named %j", (period, closes) => {
    expect(Option.isNone(periodStart(period, closes))).toBe(true)
  })
})
