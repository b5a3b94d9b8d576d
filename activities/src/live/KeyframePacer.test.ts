import { describe, expect, it } from "vitest"
import { KeyframePacer } from "./KeyframePacer.ts"

describe("KeyframePacer", () => {
  it("asks at once for the first keyframe and again every retry interval until one comes", () => {
    const pacer = new KeyframePacer(1000, 500)
    expect(pacer.shouldRequest(0)).toBe(true)
    expect(pacer.shouldRequest(100)).toBe(false)
    expect(pacer.shouldRequest(499)).toBe(false)
    expect(pacer.shouldRequest(500)).toBe(true)
  })

  it("asks early enough for the keyframe to arrive one segment after the last", () => {
    const pacer = new KeyframePacer(1000)
    expect(pacer.shouldRequest(0)).toBe(true)
    pacer.keyframe(40)
    // The publisher answered in 40 ms; the guess of 100 ms moves toward it.
    expect(pacer.expectedResponseMs).toBe(82)
    expect(pacer.shouldRequest(40 + 1000 - 83)).toBe(false)
    expect(pacer.shouldRequest(40 + 1000 - 82)).toBe(true)
  })

  it("does not ask again while a request is outstanding", () => {
    const pacer = new KeyframePacer(1000, 500)
    pacer.keyframe(0)
    expect(pacer.shouldRequest(950)).toBe(true)
    expect(pacer.shouldRequest(1000)).toBe(false)
    expect(pacer.shouldRequest(1449)).toBe(false)
    expect(pacer.shouldRequest(1450)).toBe(true)
  })

  it("counts keyframes the publisher sends on its own without learning from them", () => {
    const pacer = new KeyframePacer(1000)
    pacer.keyframe(0)
    pacer.keyframe(300)
    expect(pacer.expectedResponseMs).toBe(100)
    expect(pacer.shouldRequest(1000)).toBe(false)
    expect(pacer.shouldRequest(1200)).toBe(true)
  })
})
