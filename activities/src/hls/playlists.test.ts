import { describe, expect, it } from "vitest"
import { aacCodec, h264Codec } from "./codecs.ts"
import { masterPlaylist, measureBandwidth, mediaSegments } from "./playlists.ts"

const MEDIA = `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXTINF:4.000000,
seg_00000.ts
#EXTINF:4.000000,
seg_00001.ts
#EXTINF:0.400000,
seg_00002.ts
#EXT-X-ENDLIST
`

describe("mediaSegments", () => {
  it("lists segments with their durations", () => {
    expect(mediaSegments(MEDIA)).toEqual([
      { uri: "seg_00000.ts", durationSeconds: 4 },
      { uri: "seg_00001.ts", durationSeconds: 4 },
      { uri: "seg_00002.ts", durationSeconds: 0.4 }
    ])
  })
})

describe("measureBandwidth", () => {
  it("takes the busiest segment as the peak, ignoring a stub at the end, and averages over all", () => {
    const sized = mediaSegments(MEDIA).map((segment, index) => ({ ...segment, sizeBytes: [500_000, 1_000_000, 400_000][index]! }))
    expect(measureBandwidth(sized)).toEqual({ peak: 2_000_000, average: Math.ceil((1_900_000 * 8) / 8.4) })
  })
  it("never reports a peak below the average", () => {
    expect(measureBandwidth([{ uri: "a", durationSeconds: 0.2, sizeBytes: 100_000 }])).toEqual({ peak: 4_000_000, average: 4_000_000 })
  })
})

describe("masterPlaylist", () => {
  it("announces each variant with BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS", () => {
    expect(masterPlaylist([
      { uri: "720p/index.m3u8", bandwidth: { peak: 3_100_000, average: 2_000_000 }, width: 1280, height: 720, frameRate: 30, codecs: "avc1.64001f,mp4a.40.2" },
      { uri: "source/index.m3u8", bandwidth: { peak: 900_000, average: 800_000 }, width: 640, height: 360, frameRate: undefined, codecs: "avc1.4d001e" }
    ])).toBe([
      "#EXTM3U",
      "#EXT-X-VERSION:3",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      '#EXT-X-STREAM-INF:BANDWIDTH=3100000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2"',
      "720p/index.m3u8",
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.4d001e"',
      "source/index.m3u8",
      ""
    ].join("\n"))
  })
})

describe("codec strings", () => {
  it("names H.264 profiles and levels and AAC object types as RFC 6381 does", () => {
    expect(h264Codec("High", 40)).toBe("avc1.640028")
    expect(h264Codec("Main", 31)).toBe("avc1.4d001f")
    expect(h264Codec("Constrained Baseline", 30)).toBe("avc1.42e01e")
    expect(aacCodec("LC")).toBe("mp4a.40.2")
    expect(aacCodec("HE-AAC")).toBe("mp4a.40.5")
    expect(aacCodec(null)).toBe("mp4a.40.2")
  })
})
