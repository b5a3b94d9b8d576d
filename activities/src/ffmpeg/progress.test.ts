import { describe, expect, it } from "vitest"
import { progressParser } from "./progress.ts"

describe("progressParser", () => {
  it("reports each block when it ends, in seconds", () => {
    const parse = progressParser()
    const lines = [
      "frame=0", "out_time_us=N/A", "out_time=-577014:32:22.775808", "progress=continue",
      "frame=48", "fps=24.00", "out_time_us=1600000", "out_time=00:00:01.600000", "speed=0.8x", "progress=continue",
      "frame=90", "out_time=00:01:02.500000", "progress=end"
    ]
    const reports = lines.map(parse).filter((report) => report !== undefined)
    expect(reports).toEqual([
      { outTimeSeconds: 0, frame: 0, done: false },
      { outTimeSeconds: 1.6, frame: 48, done: false },
      { outTimeSeconds: 62.5, frame: 90, done: true }
    ])
  })

  it("ignores lines that are not key=value", () => {
    const parse = progressParser()
    expect(parse("")).toBeUndefined()
    expect(parse("garbage")).toBeUndefined()
  })
})
