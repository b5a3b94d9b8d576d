import { describe, expect, it } from "vitest"
import { withQueryOnEveryUri } from "./Playlist.ts"

describe("withQueryOnEveryUri", () => {
  it("signs variant, segment, map and media URIs, and nothing else", () => {
    const master = [
      "#EXTM3U",
      "#EXT-X-VERSION:6",
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/index.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
      "720p/index.m3u8",
      '#EXT-X-MAP:URI="init.mp4"',
      "#EXTINF:2.000,",
      "seg_001.m4s?x=1",
      ""
    ].join("\n")
    expect(withQueryOnEveryUri(master, "t", "123.abc")).toBe([
      "#EXTM3U",
      "#EXT-X-VERSION:6",
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/index.m3u8?t=123.abc"',
      '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
      "720p/index.m3u8?t=123.abc",
      '#EXT-X-MAP:URI="init.mp4?t=123.abc"',
      "#EXTINF:2.000,",
      "seg_001.m4s?x=1&t=123.abc",
      ""
    ].join("\n"))
  })
})
