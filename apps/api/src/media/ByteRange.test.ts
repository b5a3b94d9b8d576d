import { describe, expect, it } from "vitest"
import { parseRange } from "./ByteRange.ts"

describe("parseRange", () => {
  it.each([
    [undefined, { _tag: "Whole" }],
    ["bytes=0-99", { _tag: "Partial", start: 0, end: 99 }],
    ["bytes=100-", { _tag: "Partial", start: 100, end: 999 }],
    ["bytes=-100", { _tag: "Partial", start: 900, end: 999 }],
    ["bytes=-5000", { _tag: "Partial", start: 0, end: 999 }],
    ["bytes=900-5000", { _tag: "Partial", start: 900, end: 999 }],
    ["bytes=1000-", { _tag: "Unsatisfiable" }],
    ["bytes=50-10", { _tag: "Unsatisfiable" }],
    ["bytes=-0", { _tag: "Unsatisfiable" }],
    ["bytes=0-1,5-6", { _tag: "Whole" }],
    ["items=0-1", { _tag: "Whole" }],
    ["bytes=-", { _tag: "Whole" }]
  ])("%s of 1000 bytes", (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected)
  })
})
