import { describe, expect, it } from "vitest"
import { clientAddress, parseTrustProxy, type TrustProxy } from "./ClientAddress.ts"

const trust = (text: string): TrustProxy => {
  const parsed = parseTrustProxy(text)
  if ("error" in parsed) throw new Error(parsed.error)
  return parsed
}

describe("TRUST_PROXY", () => {
  it.each(["", "false", "0", "off", " FALSE "])("%j trusts nobody", (text) => {
    expect(trust(text)._tag).toBe("None")
  })

  it.each(["true", "1", "yes", "on"])("%j trusts every peer", (text) => {
    expect(trust(text)._tag).toBe("All")
  })

  it("reads a list of addresses and ranges", () => {
    expect(trust("127.0.0.1, 10.0.0.0/8,::1,fd00::/8")._tag).toBe("Listed")
  })

  it.each(["proxy.local", "10.0.0.0/33", "10.0.0.0/x", "1.2.3.4/8/9", "::1/129", "300.1.1.1"])(
    "rejects %j with a message naming it",
    (text) => {
      const parsed = parseTrustProxy(text)
      expect(parsed).toHaveProperty("error")
      expect((parsed as { error: string }).error).toContain(text.split(",")[0]!.trim())
    }
  )
})

describe("clientAddress", () => {
  const peer = "127.0.0.1"

  it("ignores forwarding headers unless told to trust them", () => {
    const request = { peer, xForwardedFor: "203.0.113.9", xRealIp: "203.0.113.8" }
    expect(clientAddress(trust("false"), request)).toBe("127.0.0.1")
  })

  it("unwraps an IPv4 client on a dual-stack socket", () => {
    expect(clientAddress(trust("false"), { peer: "::ffff:192.0.2.1", xForwardedFor: undefined, xRealIp: undefined })).toBe("192.0.2.1")
  })

  it("takes the first hop when every peer is trusted", () => {
    expect(clientAddress(trust("true"), { peer, xForwardedFor: "203.0.113.9, 10.0.0.2", xRealIp: undefined })).toBe("203.0.113.9")
  })

  it("falls back to x-real-ip, then to the socket", () => {
    expect(clientAddress(trust("true"), { peer, xForwardedFor: undefined, xRealIp: "203.0.113.8" })).toBe("203.0.113.8")
    expect(clientAddress(trust("true"), { peer, xForwardedFor: undefined, xRealIp: undefined })).toBe("127.0.0.1")
    expect(clientAddress(trust("true"), { peer, xForwardedFor: " ", xRealIp: "not an ip" })).toBe("127.0.0.1")
  })

  it("walks back over listed proxies only, so a client cannot spoof its address", () => {
    const listed = trust("127.0.0.1,10.0.0.0/8")
    // The client sent "x-forwarded-for: 6.6.6.6"; the proxy at 10.0.0.2 appended the address it saw.
    expect(clientAddress(listed, { peer, xForwardedFor: "6.6.6.6, 198.51.100.7, 10.0.0.2", xRealIp: undefined })).toBe("198.51.100.7")
    // Every hop is a trusted proxy: the leftmost is as far as anyone can tell.
    expect(clientAddress(listed, { peer, xForwardedFor: "10.1.1.1, 10.0.0.2", xRealIp: undefined })).toBe("10.1.1.1")
  })

  it("does not let an unlisted peer speak for the client", () => {
    const listed = trust("10.0.0.0/8")
    expect(clientAddress(listed, { peer: "192.0.2.50", xForwardedFor: "203.0.113.9", xRealIp: "203.0.113.8" })).toBe("192.0.2.50")
  })

  it("keeps the peer when the header holds something that is not an address", () => {
    expect(clientAddress(trust("true"), { peer, xForwardedFor: "unknown, 10.0.0.2", xRealIp: undefined })).toBe("127.0.0.1")
    expect(clientAddress(trust("10.0.0.0/8,127.0.0.1"), { peer, xForwardedFor: "unknown, 10.0.0.2", xRealIp: undefined })).toBe("127.0.0.1")
    // The walk stops at the first untrusted hop, before it reaches the garbage on the left.
    const listed = trust("10.0.0.0/8,127.0.0.1")
    expect(clientAddress(listed, { peer, xForwardedFor: "unknown, 198.51.100.7, 10.0.0.2", xRealIp: undefined })).toBe("198.51.100.7")
  })
})
