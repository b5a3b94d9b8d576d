import { describe, expect, it } from "vitest"
import { isKeyframeStart } from "./keyframes.ts"

const bytes = (...values: Array<number>) => Uint8Array.from(values)

describe("isKeyframeStart (H.264, RFC 6184)", () => {
  it.each([
    ["a single IDR NAL unit", bytes(0x65, 0x88), true],
    ["a single SPS NAL unit", bytes(0x67, 0x42), true],
    ["a single non-IDR slice", bytes(0x41, 0x9a), false],
    ["a STAP-A carrying SPS and PPS", bytes(0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce), true],
    ["a STAP-A carrying only SEI", bytes(0x78, 0x00, 0x02, 0x06, 0x05), false],
    ["the first FU-A fragment of an IDR", bytes(0x7c, 0x85, 0x88), true],
    ["a middle FU-A fragment of an IDR", bytes(0x7c, 0x05, 0x88), false],
    ["the first FU-A fragment of a P slice", bytes(0x7c, 0x81, 0x9a), false],
    ["an empty payload", bytes(), false]
  ])("%s → %s", (_, payload, expected) => {
    expect(isKeyframeStart("h264", payload)).toBe(expected)
  })
})

describe("isKeyframeStart (VP8, RFC 7741)", () => {
  it.each([
    ["a key frame without extensions", bytes(0x10, 0x50), true],
    ["an inter frame without extensions", bytes(0x10, 0x51), false],
    ["a key frame with a 15-bit picture id", bytes(0x90, 0x80, 0x81, 0x23, 0x50), true],
    ["an inter frame with picture id, TL0PICIDX and TID", bytes(0x90, 0xe0, 0x12, 0x05, 0x40, 0x51), false],
    ["a key frame with picture id, TL0PICIDX and TID", bytes(0x90, 0xe0, 0x12, 0x05, 0x40, 0x50), true],
    ["a continuation packet", bytes(0x00, 0x50), false],
    ["the start of partition 1", bytes(0x11, 0x50), false]
  ])("%s → %s", (_, payload, expected) => {
    expect(isKeyframeStart("vp8", payload)).toBe(expected)
  })
})
