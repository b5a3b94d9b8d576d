import { describe, expect, it } from "vitest"
import { isBrowserPlayable, judgeProbe, parseRational, unreadableReason } from "./probe.ts"

const h264 = {
  codec_type: "video",
  codec_name: "h264",
  profile: "High",
  level: 40,
  pix_fmt: "yuv420p",
  width: 1920,
  height: 1080,
  sample_aspect_ratio: "1:1",
  r_frame_rate: "30/1",
  avg_frame_rate: "30/1"
}
const aac = { codec_type: "audio", codec_name: "aac", profile: "LC", channels: 2, sample_rate: "48000" }
const format = { format_name: "mov,mp4,m4a,3gp,3g2,mj2", duration: "60.000000", bit_rate: "5000000" }

const usable = (output: unknown) => {
  const verdict = judgeProbe(output)
  if (verdict._tag !== "Usable") throw new Error(`expected usable, got: ${verdict.reason}`)
  return verdict.source
}

describe("judgeProbe", () => {
  it("reads an H.264/AAC upload", () => {
    expect(usable({ streams: [h264, aac], format })).toEqual({
      durationSeconds: 60,
      formatName: "mov,mp4,m4a,3gp,3g2,mj2",
      bitrate: 5000000,
      video: {
        codec: "h264",
        profile: "High",
        level: 40,
        pixelFormat: "yuv420p",
        width: 1920,
        height: 1080,
        rotation: 0,
        frameRate: 30,
        averageFrameRate: 30,
        variableFrameRate: false
      },
      audio: { codec: "aac", profile: "LC", channels: 2, sampleRate: 48000 }
    })
  })

  it("swaps width and height for rotation metadata, from the display matrix or the old rotate tag", () => {
    const portrait = usable({ streams: [{ ...h264, side_data_list: [{ rotation: -90 }] }], format }).video
    expect([portrait.width, portrait.height, portrait.rotation]).toEqual([1080, 1920, 270])
    const tagged = usable({ streams: [{ ...h264, tags: { rotate: "90" } }], format }).video
    expect([tagged.width, tagged.height, tagged.rotation]).toEqual([1080, 1920, 90])
    const upsideDown = usable({ streams: [{ ...h264, side_data_list: [{ rotation: 180 }] }], format }).video
    expect([upsideDown.width, upsideDown.height]).toEqual([1920, 1080])
  })

  it("applies a non-square sample aspect ratio to the displayed width", () => {
    const anamorphic = usable({ streams: [{ ...h264, width: 720, height: 576, sample_aspect_ratio: "16:11" }], format }).video
    expect([anamorphic.width, anamorphic.height]).toEqual([1047, 576])
  })

  it("notices variable frame rates and ignores timebase-like rates", () => {
    const vfr = usable({ streams: [{ ...h264, r_frame_rate: "30/1", avg_frame_rate: "705/44" }], format }).video
    expect(vfr.variableFrameRate).toBe(true)
    expect(vfr.frameRate).toBe(30)
    const phone = usable({ streams: [{ ...h264, r_frame_rate: "90000/1", avg_frame_rate: "2997/100" }], format }).video
    expect(phone.frameRate).toBeCloseTo(29.97)
    expect(phone.variableFrameRate).toBe(true)
  })

  it("takes the stream duration when the container has none, and knows audio-less files", () => {
    const source = usable({ streams: [{ ...h264, duration: "12.5" }], format: { format_name: "matroska,webm" } })
    expect(source.durationSeconds).toBe(12.5)
    expect(source.audio).toBeNull()
  })

  it("refuses what is not a usable video, saying why", () => {
    const reasonFor = (output: unknown) => {
      const verdict = judgeProbe(output)
      return verdict._tag === "Unusable" ? verdict.reason : "usable"
    }
    expect(reasonFor({ streams: [aac], format })).toBe("The file has no video stream")
    expect(reasonFor({ streams: [{ ...h264, disposition: { attached_pic: 1 } }, aac], format })).toBe("The file has no video stream")
    expect(reasonFor({ streams: [{ ...h264, width: 20000, height: 20 }], format })).toMatch(/20000x20 pixels; only sizes from 16 to 8192/)
    expect(reasonFor({ streams: [{ ...h264, width: 8, height: 8 }], format })).toMatch(/8x8 pixels/)
    expect(reasonFor({ streams: [h264], format: { format_name: "png_pipe" } })).toMatch(/no duration/)
    expect(reasonFor({ streams: [h264], format: { ...format, duration: String(50 * 3600) } })).toMatch(/50 hours; at most 12/)
    expect(reasonFor({ streams: [{ ...h264, r_frame_rate: "0/0", avg_frame_rate: "0/0" }], format })).toMatch(/no frame rate/)
    expect(reasonFor({})).toBe("The file has no video stream")
  })
})

describe("isBrowserPlayable", () => {
  const base = usable({ streams: [h264, aac], format })
  it("accepts 8-bit 4:2:0 H.264 with AAC or without audio", () => {
    expect(isBrowserPlayable(base)).toBe(true)
    expect(isBrowserPlayable({ ...base, audio: null })).toBe(true)
  })
  it("refuses other codecs, 10-bit or 4:4:4 pictures, other audio and rotated pictures", () => {
    expect(isBrowserPlayable({ ...base, video: { ...base.video, codec: "hevc" } })).toBe(false)
    expect(isBrowserPlayable({ ...base, video: { ...base.video, pixelFormat: "yuv420p10le", profile: "High 10" } })).toBe(false)
    expect(isBrowserPlayable({ ...base, video: { ...base.video, profile: "High 4:4:4 Predictive" } })).toBe(false)
    expect(isBrowserPlayable({ ...base, audio: { ...base.audio!, codec: "opus", profile: null } })).toBe(false)
    expect(isBrowserPlayable({ ...base, video: { ...base.video, rotation: 90 } })).toBe(false)
  })
})

describe("parseRational and unreadableReason", () => {
  it("parses frame rates and refuses zeros", () => {
    expect(parseRational("30000/1001")).toBeCloseTo(29.97, 2)
    expect(parseRational("0/0")).toBeNull()
    expect(parseRational(undefined)).toBeNull()
  })
  it("tells a truncated MP4 from a file that is not a video", () => {
    expect(unreadableReason("[mov,mp4] moov atom not found\nx.mp4: Invalid data found")).toMatch(/index is missing/)
    expect(unreadableReason("text.mp4: Invalid data found when processing input")).toMatch(/not a video that can be read/)
  })
})
