import { describe, expect, it } from "vitest"
import { h264Level, outputFrameRate, planLadder } from "./ladder.ts"
import type { SourceInfo } from "./probe.ts"

const source = (width: number, height: number, frameRate = 30, audio = true): SourceInfo => ({
  durationSeconds: 60,
  formatName: "mov",
  bitrate: null,
  video: {
    codec: "h264",
    profile: "High",
    level: 40,
    pixelFormat: "yuv420p",
    width,
    height,
    rotation: 0,
    frameRate,
    averageFrameRate: frameRate,
    variableFrameRate: false
  },
  audio: audio ? { codec: "aac", profile: "LC", channels: 2, sampleRate: 48000 } : null
})

const sizes = (plan: ReturnType<typeof planLadder>) => plan.renditions.map((r) => `${r.name} ${r.width}x${r.height} ${r.maxrateKbps}k ${r.codecs}`)

describe("planLadder", () => {
  it("gives a 1080p source the full ladder with its caps, levels and codecs", () => {
    const plan = planLadder(source(1920, 1080))
    expect(sizes(plan)).toEqual([
      "1080p 1920x1080 5000k avc1.640028,mp4a.40.2",
      "720p 1280x720 2800k avc1.64001f,mp4a.40.2",
      "480p 854x480 1400k avc1.64001f,mp4a.40.2",
      "360p 640x360 800k avc1.64001e,mp4a.40.2"
    ])
    expect(plan.frameRate).toBe("30")
    expect(plan.gop).toBe(60)
    expect(plan.renditions[0]!.bufsizeKbps).toBe(10000)
  })

  it("never goes above the source: 4K stops at 1080p, 720p starts at 720p, an in-between source skips the rung above it", () => {
    expect(planLadder(source(3840, 2160)).renditions.map((r) => r.name)).toEqual(["1080p", "720p", "480p", "360p"])
    expect(planLadder(source(1280, 720)).renditions.map((r) => r.name)).toEqual(["720p", "480p", "360p"])
    expect(planLadder(source(1000, 562)).renditions.map((r) => r.name)).toEqual(["480p", "360p"])
  })

  it("keeps portrait videos portrait, naming rungs by their short side", () => {
    expect(sizes(planLadder(source(1080, 1920, 30, false)))[0]).toBe("1080p 1080x1920 5000k avc1.640028")
    expect(sizes(planLadder(source(720, 1280, 30, false)))[2]).toBe("360p 360x640 800k avc1.64001e")
  })

  it("keeps a source below 360p at its own size, rounded down to even, with a smaller cap", () => {
    expect(sizes(planLadder(source(321, 241, 25, false)))).toEqual(["240p 320x240 356k avc1.64001e"])
    expect(sizes(planLadder(source(641, 361)))).toEqual(["360p 640x360 800k avc1.64001e,mp4a.40.2"])
  })

  it("turns any rate into a standard constant one, at most 60, and raises levels for it", () => {
    expect(planLadder(source(1920, 1080, 60)).renditions[0]!.codecs).toBe("avc1.64002a,mp4a.40.2")
    expect(planLadder(source(1920, 1080, 120)).frameRate).toBe("60")
    expect(planLadder(source(1920, 1080, 120)).gop).toBe(120)
    expect(outputFrameRate(29.97)).toEqual(["30000/1001", 30000 / 1001])
    expect(outputFrameRate(20.3)[0]).toBe("20")
    expect(outputFrameRate(23.976)[0]).toBe("24000/1001")
  })
})

describe("h264Level", () => {
  it("picks the lowest level that fits size and rate", () => {
    expect(h264Level(640, 360, 30)).toBe(30)
    expect(h264Level(1280, 720, 30)).toBe(31)
    expect(h264Level(1280, 720, 60)).toBe(32)
    expect(h264Level(1920, 1080, 30)).toBe(40)
    expect(h264Level(1920, 1080, 60)).toBe(42)
  })
})
