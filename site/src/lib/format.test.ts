import { describe, expect, it } from "vitest"
import { formatBytes, formatCount, formatDay, formatDuration, formatElapsed, formatViews, sentence, spokenDuration, timeAgo } from "./format.ts"

describe("formatDuration", () => {
  it.each([
    [0, "0:00"],
    [7, "0:07"],
    [59.6, "1:00"],
    [83, "1:23"],
    [600, "10:00"],
    [3723, "1:02:03"],
    [-5, "0:00"]
  ])("%s s reads %s", (seconds, text) => expect(formatDuration(seconds)).toBe(text))

  it("spells durations out for screen readers", () => {
    expect(spokenDuration(3723)).toBe("1 hour 2 minutes 3 seconds")
    expect(spokenDuration(61)).toBe("1 minute 1 second")
    expect(spokenDuration(0)).toBe("0 seconds")
  })
})

describe("counts", () => {
  it.each([
    [0, "0 views"],
    [1, "1 view"],
    [999, "999 views"],
    [1234, "1.2K views"],
    [2_500_000, "2.5M views"]
  ])("%s reads %s", (views, text) => expect(formatViews(views)).toBe(text))

  it("keeps exact figures exact", () => expect(formatCount(1234567)).toBe("1,234,567"))

  it.each([
    [0, "0 bytes"],
    [1536, "1.5 KB"],
    [5 * 1024 ** 3, "5.0 GB"],
    [150 * 1024 ** 2, "150 MB"]
  ])("%s bytes read %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text))
})

describe("times", () => {
  const now = new Date("2026-11-24T12:00:00Z")
  const before = (seconds: number) => new Date(now.getTime() - seconds * 1000)

  it.each([
    [10, "just now"],
    [90, "1 minute ago"],
    [3 * 3600, "3 hours ago"],
    [26 * 3600, "yesterday"],
    [3 * 86400, "3 days ago"],
    [8 * 86400, "last week"],
    [65 * 86400, "2 months ago"],
    [400 * 86400, "last year"]
  ])("%s s old reads %s", (seconds, text) => expect(timeAgo(before(seconds), now)).toBe(text))

  it("labels chart days in UTC", () => expect(formatDay("2026-11-03")).toBe("Nov 3"))

  it("runs the host clock", () => {
    expect(formatElapsed(83)).toBe("01:23")
    expect(formatElapsed(3723)).toBe("1:02:03")
  })
})

describe("sentence", () => {
  it("ends a message with a full stop once", () => {
    expect(sentence("The API is unreachable")).toBe("The API is unreachable.")
    expect(sentence("Stop! ")).toBe("Stop!")
    expect(sentence("Done.")).toBe("Done.")
  })
})
