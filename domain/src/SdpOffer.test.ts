import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { checkOffer, MAX_OFFER_BYTES } from "./SdpOffer.ts"

// A real offer from Debian's Chromium 156: canvas video + WebAudio, mDNS host candidates.
const chromium = readFileSync(new URL("./fixtures/chromium-offer.sdp", import.meta.url), "utf8")

const reasonFor = (sdp: string) => {
  const check = checkOffer(sdp)
  return check._tag === "Invalid" ? check.reason : undefined
}

describe("checkOffer", () => {
  it("takes a browser's offer and says what it sends", () => {
    expect(checkOffer(chromium)).toEqual({ _tag: "Valid", summary: { videoCodecs: ["H264", "VP8"], audio: true } })
  })

  it("takes a video-only offer with LF line endings", () => {
    const videoOnly = chromium.replace(/m=audio[\s\S]*?(?=m=video)/, "").replaceAll("\r\n", "\n")
    expect(checkOffer(videoOnly)).toEqual({ _tag: "Valid", summary: { videoCodecs: ["H264", "VP8"], audio: false } })
  })

  it.each([
    ["an empty body", "", "not an SDP offer"],
    ["JSON", '{"type":"offer","sdp":"v=0"}', "not an SDP offer"],
    ["an SDP without media", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "no media"],
    ["an answer", chromium.replaceAll("a=setup:actpass", "a=setup:active"), "belongs to an answer"],
    ["an offer that only receives", chromium.replaceAll("a=sendonly", "a=recvonly"), "sends no video"],
    ["an offer without ICE credentials", chromium.replace(/a=ice-pwd:.*\r\n/g, ""), "no ICE credentials"],
    ["an offer without a fingerprint", chromium.replace(/a=fingerprint:.*\r\n/g, ""), "no DTLS fingerprint"],
    ["plain RTP", chromium.replaceAll("UDP/TLS/RTP/SAVPF", "RTP/AVP"), "not WebRTC media"],
    [
      "an offer with only AV1 video",
      chromium.replace(/a=rtpmap:(\d+) (H264|VP8)\//g, "a=rtpmap:$1 AV1/"),
      "no video codec this server takes"
    ]
  ])("refuses %s with a reason", (_, sdp, reason) => {
    expect(reasonFor(sdp)).toContain(reason)
  })

  it("refuses offers too large to come from a browser", () => {
    expect(reasonFor(chromium + "a=x:" + "y".repeat(MAX_OFFER_BYTES))).toContain("larger than")
  })
})
