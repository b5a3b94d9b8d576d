import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { testEnv } from "./support/env.ts"
import { createStream, liveStatus, mediaText } from "./support/live.ts"

const run = promisify(execFile)
const ffprobe = process.env.FFPROBE_PATH ?? "ffprobe"
const publisher = new URL("./support/aiortc_whip_publisher.py", import.meta.url).pathname

describe("a WHIP publisher that is not a browser (aiortc)", () => {
  it.each(["H264", "VP8"])("publishes %s and Opus, and its DELETE leaves a replayable recording", async (codec) => {
    const stream = await createStream(`aiortc ${codec}`)
    // The API as the test reaches it: aiortc needs no CORS.
    const url = `${testEnv.apiUrl}/api/live/${stream.videoId}/whip`
    const { stdout } = await run("/usr/bin/python3", [publisher, url, stream.streamKey, codec, "6"], { timeout: 120_000 })
    const events = stdout.trim().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line))
    expect(events).toEqual([
      { event: "answered", status: 201, location: expect.stringMatching(`^/api/live/${stream.videoId}/whip/`), contentType: "application/sdp" },
      { event: "deleted", status: 200 }
    ])

    expect(await liveStatus(stream.videoId)).toMatchObject({ status: "READY", isLiveNow: false })
    const recording = `${testEnv.apiUrl}/api/media/live/${stream.videoId}/recording.m3u8`
    expect((await mediaText(recording)).trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true)
    const probed = await run(ffprobe, ["-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "json", recording])
    const { streams, format } = JSON.parse(probed.stdout) as { streams: Array<{ codec_name: string }>; format: { duration: string } }
    expect(streams.map((s) => s.codec_name).sort()).toEqual(["aac", "h264"])
    expect(Number(format.duration)).toBeGreaterThan(3)
  })
})
