import { describe, expect, it } from "vitest"
import { contentTypeFor, parseMediaKey } from "./MediaKey.ts"

const id = "8f8e3c9a-6a3e-4e1b-9d7e-3c1a2b4c5d6e"

describe("parseMediaKey", () => {
  it("accepts HLS outputs, live segments and thumbnails", () => {
    expect(parseMediaKey(`videos/${id}/master.m3u8`)).toEqual({ key: `videos/${id}/master.m3u8`, videoId: id, area: "videos", extension: "m3u8" })
    expect(parseMediaKey(`videos/${id}/720p/seg_00001.ts`)?.extension).toBe("ts")
    expect(parseMediaKey(`live/${id}/index.m3u8`)?.area).toBe("live")
  })

  it.each([
    `uploads/${id}/original`,
    `videos/${id}/../../uploads/${id}/original`,
    `videos/not-a-uuid/master.m3u8`,
    `videos/${id}/`,
    `videos/${id}/.hidden`,
    `videos/${id}//x.ts`,
    `/videos/${id}/master.m3u8`
  ])("refuses %s", (key) => {
    expect(parseMediaKey(key)).toBeUndefined()
  })

  it("names the content types players expect", () => {
    expect(contentTypeFor(parseMediaKey(`videos/${id}/master.m3u8`)!)).toBe("application/vnd.apple.mpegurl")
    expect(contentTypeFor(parseMediaKey(`videos/${id}/1080p/seg_1.ts`)!)).toBe("video/mp2t")
    expect(contentTypeFor(parseMediaKey(`videos/${id}/1080p/seg_1.m4s`)!)).toBe("video/iso.segment")
    expect(contentTypeFor(parseMediaKey(`videos/${id}/thumbnail.jpg`)!)).toBe("image/jpeg")
  })
})
