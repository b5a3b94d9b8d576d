import { describe, expect, it } from "vitest"
import { closedPeriod } from "./viewPeriods.ts"

describe("closedPeriod", () => {
  it("closes the day before the run's UTC day", () => {
    expect(closedPeriod("day", new Date("2026-11-24T00:00:00.000Z"))).toBe("2026-11-23")
    expect(closedPeriod("day", new Date("2026-11-24T23:59:59.999Z"))).toBe("2026-11-23")
    expect(closedPeriod("day", new Date("2026-03-01T00:00:00Z"))).toBe("2026-02-28")
    expect(closedPeriod("day", new Date("2028-03-01T00:00:00Z"))).toBe("2028-02-29")
    expect(closedPeriod("day", new Date("2027-01-01T00:00:00Z"))).toBe("2026-12-31")
  })

  it("uses UTC, not the machine's zone", () => {
    // 23:30 in New York on the 23rd is already the 24th in UTC.
    expect(closedPeriod("day", new Date("2026-11-23T23:30:00-05:00"))).toBe("2026-11-23")
  })

  it("closes the month before the run's UTC month", () => {
    expect(closedPeriod("month", new Date("2026-12-01T00:00:00Z"))).toBe("2026-11")
    expect(closedPeriod("month", new Date("2026-11-30T12:00:00Z"))).toBe("2026-10")
    expect(closedPeriod("month", new Date("2027-01-01T00:00:00Z"))).toBe("2026-12")
  })
})
