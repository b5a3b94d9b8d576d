import { Option } from "effect"
import { describe, expect, it } from "vitest"
import { decodeCursor, encodeCursor } from "./Cursor.ts"

describe("catalog cursor", () => {
  it("round-trips a position", () => {
    const position = { createdAt: new Date("2026-11-24T10:11:12.345Z"), id: "8f8e3c9a-6a3e-4e1b-9d7e-3c1a2b4c5d6e" }
    expect(decodeCursor(encodeCursor(position))).toEqual(Option.some(position))
  })

  it.each([
    ["empty", ""],
    ["not base64 of a cursor", "hello"],
    ["a bad date", Buffer.from("yesterday|8f8e3c9a-6a3e-4e1b-9d7e-3c1a2b4c5d6e").toString("base64url")],
    ["a bad id", Buffer.from("2026-11-24T10:11:12.345Z|42; DROP TABLE videos").toString("base64url")],
    ["extra parts", Buffer.from("2026-11-24T10:11:12.345Z|8f8e3c9a-6a3e-4e1b-9d7e-3c1a2b4c5d6e|x").toString("base64url")]
  ])("rejects %s", (_, text) => {
    expect(Option.isNone(decodeCursor(text))).toBe(true)
  })
})
