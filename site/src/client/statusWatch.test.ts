import { describe, expect, it } from "vitest"
import { percent, stateKey } from "./statusWatch.ts"

describe("stateKey", () => {
  const processing = { status: "PROCESSING", hlsUrl: null, isLiveNow: false, progress: 0.2 }

  it("ignores progress, so the page reloads only when what it shows changes", () => {
    expect(stateKey({ ...processing, progress: 0.9 })).toBe(stateKey(processing))
  })

  it("changes when the first playable rendition appears, on READY and when a stream goes live", () => {
    expect(stateKey({ ...processing, hlsUrl: "http://x/master.m3u8" })).not.toBe(stateKey(processing))
    expect(stateKey({ ...processing, status: "READY" })).not.toBe(stateKey(processing))
    expect(stateKey({ ...processing, status: "LIVE", isLiveNow: true })).not.toBe(stateKey({ ...processing, status: "LIVE" }))
  })
})

describe("percent", () => {
  it.each([[0, 0], [0.424, 42], [0.999, 100], [1.2, 100], [-1, 0]])("%s is %s%", (progress, value) =>
    expect(percent(progress)).toBe(value))
})
