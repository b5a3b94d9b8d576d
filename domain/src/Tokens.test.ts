import { describe, expect, it } from "vitest"
import { hashSecret, newSecret, secretMatches } from "./Tokens.ts"

describe("secrets", () => {
  it("are long, URL-safe and different every time", () => {
    const a = newSecret()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(newSecret()).not.toBe(a)
  })

  it("match only their own hash", () => {
    const secret = newSecret()
    expect(secretMatches(secret, hashSecret(secret))).toBe(true)
    expect(secretMatches(newSecret(), hashSecret(secret))).toBe(false)
    expect(secretMatches("", hashSecret(secret))).toBe(false)
    expect(secretMatches(secret, "not-a-hash")).toBe(false)
  })
})
