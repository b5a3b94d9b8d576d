import { describe, expect, it } from "vitest"
import { rtcpBye } from "./rtcpBye.ts"

describe("rtcpBye", () => {
  it("is a 12-byte RTCP BYE for one source with the reason 'end'", () => {
    expect([...rtcpBye(0x01020304)]).toEqual([0x81, 203, 0, 2, 1, 2, 3, 4, 3, 0x65, 0x6e, 0x64])
  })

  it("takes any 32-bit SSRC", () => {
    expect(rtcpBye(0xffffffff).readUInt32BE(4)).toBe(0xffffffff)
  })
})
