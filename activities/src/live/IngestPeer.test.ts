import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { answerPublisher, chooseVideoCodec, OfferRejected } from "./IngestPeer.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"

// A real offer from Debian's Chromium 156 (canvas video + WebAudio, mDNS candidates).
const chromium = readFileSync(new URL("../../../domain/src/fixtures/chromium-offer.sdp", import.meta.url), "utf8")

const settings: LiveIngestSettings = {
  icePortRange: undefined,
  announcedAddresses: [],
  segmentSeconds: 1,
  playlistSize: 6,
  peerTimeoutMs: 10_000,
  connectTimeoutMs: 20_000,
  ffmpegPath: "ffmpeg",
  ffprobePath: "ffprobe",
  workDir: "/tmp"
}

const candidates = (sdp: string) => sdp.split("\r\n").filter((line) => line.startsWith("a=candidate:"))

describe("chooseVideoCodec", () => {
  it("prefers H.264 in packetization mode 1 with a baseline profile, as Chromium offers it", () => {
    expect(chooseVideoCodec(chromium)).toEqual({
      codec: "h264",
      fmtp: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"
    })
  })

  it("falls back to VP8 when no H.264 in packetization mode 1 is offered", () => {
    const noH264 = chromium.replace(/packetization-mode=1/g, "packetization-mode=0")
    expect(chooseVideoCodec(noH264)).toEqual({ codec: "vp8", fmtp: undefined })
  })

  it("finds nothing in an offer without H.264 or VP8", () => {
    expect(chooseVideoCodec(chromium.replace(/a=rtpmap:(\d+) (H264|VP8)\//g, "a=rtpmap:$1 AV1/"))).toBeUndefined()
  })
})

describe("answerPublisher", () => {
  it("answers receive-only with one video codec and Opus, every candidate included", async () => {
    const peer = await answerPublisher(chromium, settings)
    try {
      const answer = peer.answerSdp
      expect(answer.match(/^m=/gm)).toHaveLength(2)
      expect(answer.match(/a=recvonly/g)).toHaveLength(2)
      expect(answer).not.toContain("a=sendrecv")
      expect(answer).toMatch(/a=rtpmap:\d+ H264\/90000/)
      expect(answer).not.toContain("VP8")
      expect(answer).toContain("opus/48000/2")
      expect(answer).toContain("nack pli")
      expect(answer).toContain("a=group:BUNDLE")
      expect(candidates(answer).length).toBeGreaterThan(0)
      expect(peer.video.codec).toBe("h264")
      expect(peer.audio).toBeDefined()
    } finally {
      await peer.pc.close()
    }
  })

  it("announces the configured public address and gathers only in the configured port range", async () => {
    const peer = await answerPublisher(chromium, { ...settings, announcedAddresses: ["203.0.113.7"], icePortRange: [31_900, 31_949] })
    try {
      const found = candidates(peer.answerSdp)
      expect(found.some((line) => line.includes(" 203.0.113.7 "))).toBe(true)
      for (const line of found) {
        const port = Number(line.split(" ")[5])
        expect(port).toBeGreaterThanOrEqual(31_900)
        expect(port).toBeLessThanOrEqual(31_949)
      }
    } finally {
      await peer.pc.close()
    }
  })

  it("refuses an offer it cannot take", async () => {
    await expect(answerPublisher(chromium.replace(/a=rtpmap:(\d+) (H264|VP8)\//g, "a=rtpmap:$1 AV1/"), settings)).rejects.toBeInstanceOf(OfferRejected)
  })
})
