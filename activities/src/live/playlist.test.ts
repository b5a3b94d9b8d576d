import { describe, expect, it } from "vitest"
import { parseMediaPlaylist, segmentNumber, writeRecordingPlaylist } from "./playlist.ts"

// What ffmpeg 5.1's HLS muxer wrote for a live session in this project's settings.
const FFMPEG_LIVE = `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXTINF:1.000433,
#EXT-X-PROGRAM-DATE-TIME:2026-11-24T15:13:41.032+0000
seg_000007.ts
#EXTINF:1.099156,
#EXT-X-PROGRAM-DATE-TIME:2026-11-24T15:13:42.032+0000
seg_000008.ts
`

describe("parseMediaPlaylist", () => {
  it("reads segments with their sequence numbers, durations and wall-clock times", () => {
    expect(parseMediaPlaylist(FFMPEG_LIVE)).toEqual({
      targetDuration: 2,
      ended: false,
      segments: [
        { sequence: 7, uri: "seg_000007.ts", durationSeconds: 1.000433, programDateTime: "2026-11-24T15:13:41.032+0000" },
        { sequence: 8, uri: "seg_000008.ts", durationSeconds: 1.099156, programDateTime: "2026-11-24T15:13:42.032+0000" }
      ]
    })
  })

  it("sees the end of a stream", () => {
    expect(parseMediaPlaylist(FFMPEG_LIVE + "#EXT-X-ENDLIST\n").ended).toBe(true)
  })

  it("refuses a segment without a duration", () => {
    expect(() => parseMediaPlaylist("#EXTM3U\nseg_000001.ts\n")).toThrow("no #EXTINF")
  })
})

describe("writeRecordingPlaylist", () => {
  const segments = parseMediaPlaylist(FFMPEG_LIVE).segments

  it("writes a growing EVENT playlist while live", () => {
    expect(writeRecordingPlaylist(segments, false)).toBe(`#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:7
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-PROGRAM-DATE-TIME:2026-11-24T15:13:41.032+0000
#EXTINF:1.000433,
seg_000007.ts
#EXT-X-PROGRAM-DATE-TIME:2026-11-24T15:13:42.032+0000
#EXTINF:1.099156,
seg_000008.ts
`)
  })

  it("seals a VOD playlist that reads back to the same segments", () => {
    const sealed = writeRecordingPlaylist(segments, true)
    expect(sealed).toContain("#EXT-X-PLAYLIST-TYPE:VOD\n")
    expect(sealed.endsWith("#EXT-X-ENDLIST\n")).toBe(true)
    expect(parseMediaPlaylist(sealed)).toEqual({ targetDuration: 2, segments, ended: true })
  })
})

describe("segmentNumber", () => {
  it("reads the number of a segment file", () => {
    expect(segmentNumber("seg_000012.ts")).toBe(12)
    expect(Number.isNaN(segmentNumber("index.m3u8"))).toBe(true)
  })
})
