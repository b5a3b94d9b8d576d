import { describe, expect, it } from "vitest"
import { whipRefusal } from "./whip.ts"

describe("whipRefusal", () => {
  it("turns the WHIP statuses into what the host should do", () => {
    expect(whipRefusal(401, "Unauthorized")).toContain("stream key was refused")
    expect(whipRefusal(409, undefined)).toContain("already live from another tab or device")
    expect(whipRefusal(410, undefined)).toContain("has ended")
    expect(whipRefusal(0, undefined)).toContain("Can't reach the server")
  })

  it("passes the server's reason on for anything else", () => {
    expect(whipRefusal(400, "Not an SDP offer: no media section")).toBe("The server refused the stream: Not an SDP offer: no media section")
    expect(whipRefusal(503, "")).toBe("The server refused the stream (503).")
  })
})
