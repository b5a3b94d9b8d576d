import { describe, expect, it } from "vitest"
import { chooseEngine } from "./engine.ts"

const chrome = { nativeHls: true, mediaSource: true, apple: false }
const firefox = { nativeHls: false, mediaSource: true, apple: false }
const safari = { nativeHls: true, mediaSource: true, apple: true }
const oldIphone = { nativeHls: true, mediaSource: false, apple: true }
const nothing = { nativeHls: false, mediaSource: false, apple: false }

describe("chooseEngine", () => {
  it("plays with hls.js where MSE exists and the browser is not Safari", () => {
    expect(chooseEngine(chrome)).toBe("hls.js")
    expect(chooseEngine(firefox)).toBe("hls.js")
  })

  it("lets Safari and MSE-less iPhones play natively, without downloading hls.js", () => {
    expect(chooseEngine(safari)).toBe("native")
    expect(chooseEngine(oldIphone)).toBe("native")
  })

  it("says so when nothing can play HLS", () => expect(chooseEngine(nothing)).toBe("none"))

  it("honours an override only where the engine can run", () => {
    expect(chooseEngine(chrome, "native")).toBe("native")
    expect(chooseEngine(safari, "hls.js")).toBe("hls.js")
    expect(chooseEngine(firefox, "native")).toBe("hls.js")
    expect(chooseEngine(oldIphone, "hls.js")).toBe("native")
  })
})
