// Golden expectations: a change to any ffmpeg command shows up here, flag by flag.
import { describe, expect, it } from "vitest"
import { frameCheckArgs, ladderArgs, probeArgs, remuxArgs, thumbnailArgs } from "./args.ts"
import { planLadder } from "./ladder.ts"
import type { SourceInfo } from "./probe.ts"

const URL = "http://127.0.0.1:8333/reelbase/uploads/x/original?X-Amz-Signature=abc"

const source720: SourceInfo = {
  durationSeconds: 60,
  formatName: "mov",
  bitrate: null,
  video: {
    codec: "h264",
    profile: "High",
    level: 31,
    pixelFormat: "yuv420p",
    width: 1280,
    height: 720,
    rotation: 0,
    frameRate: 29.97,
    averageFrameRate: 29.97,
    variableFrameRate: false
  },
  audio: { codec: "aac", profile: "LC", channels: 2, sampleRate: 44100 }
}

const RECONNECT = ["-reconnect", "1", "-reconnect_on_network_error", "1", "-reconnect_delay_max", "30"]
const COMMON = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
const PROGRESS = ["-progress", "pipe:1", "-nostats"]
const hls = (folder: string) => [
  "-f", "hls",
  "-hls_time", "4",
  "-hls_playlist_type", "vod",
  "-hls_flags", "independent_segments",
  "-hls_segment_type", "mpegts",
  "-hls_segment_filename", `${folder}/seg_%05d.ts`,
  `${folder}/index.m3u8`
]

describe("ffprobe and ffmpeg argument lists", () => {
  it("probes streams and format as JSON, reconnecting over HTTP", () => {
    expect(probeArgs(URL)).toEqual(["-v", "error", "-print_format", "json", "-show_format", "-show_streams", ...RECONNECT, URL])
  })

  it("does not pass HTTP options for local files", () => {
    expect(probeArgs("/tmp/in.mp4")).toEqual(["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "/tmp/in.mp4"])
  })

  it("checks that one frame decodes at an instant", () => {
    expect(frameCheckArgs(URL, 59)).toEqual([
      ...COMMON, "-ss", "59.000", ...RECONNECT, "-i", URL, "-map", "0:v:0", "-frames:v", "1", ...PROGRESS, "-f", "null", "-"
    ])
  })

  it("takes the poster without enlarging it", () => {
    expect(thumbnailArgs(URL, 6, "/tmp/w/thumbnail.jpg")).toEqual([
      ...COMMON, "-ss", "6.000", ...RECONNECT, "-i", URL, "-map", "0:v:0", "-frames:v", "1",
      "-vf", "scale='min(1280,iw)':'min(720,ih)':force_original_aspect_ratio=decrease",
      "-q:v", "3", "/tmp/w/thumbnail.jpg"
    ])
  })

  it("remuxes without re-encoding, with or without audio", () => {
    expect(remuxArgs(URL, true, "/tmp/w/source")).toEqual([
      ...COMMON, ...RECONNECT, "-i", URL, "-map", "0:v:0", "-map", "0:a:0", "-c", "copy", ...PROGRESS, ...hls("/tmp/w/source")
    ])
    expect(remuxArgs(URL, false, "/tmp/w/source")).toEqual([
      ...COMMON, ...RECONNECT, "-i", URL, "-map", "0:v:0", "-c", "copy", ...PROGRESS, ...hls("/tmp/w/source")
    ])
  })

  it("encodes the ladder in one process: decode once, constant rate, split, scale, aligned GOPs", () => {
    const rendition = (index: number, name: string, level: string, maxrate: number, audio: number) => [
      "-map", `[v${index}]`,
      "-map", "0:a:0",
      "-c:v", "libx264",
      "-preset", "veryfast",
      ...(index === 0 ? ["-x264-params", "trellis=1:rc-lookahead=20"] : []),
      "-profile:v", "high",
      "-level:v", level,
      "-crf", "21",
      "-maxrate", `${maxrate}k`,
      "-bufsize", `${maxrate * 2}k`,
      "-g", "60",
      "-keyint_min", "60",
      "-sc_threshold", "0",
      "-c:a", "aac",
      "-b:a", `${audio}k`,
      "-ac", "2",
      "-ar", "48000",
      "-max_muxing_queue_size", "4096",
      ...hls(`/tmp/w/${name}`)
    ]
    expect(ladderArgs(URL, planLadder(source720), "/tmp/w")).toEqual([
      ...COMMON,
      ...RECONNECT,
      "-i", URL,
      "-filter_complex",
      "[0:v:0]fps=30000/1001,format=yuv420p,split=3[s0][s1][s2];" +
      "[s0]scale=1280:720,setsar=1[v0];[s1]scale=854:480,setsar=1[v1];[s2]scale=640:360,setsar=1[v2]",
      ...PROGRESS,
      ...rendition(0, "720p", "3.1", 2800, 128),
      ...rendition(1, "480p", "3.1", 1400, 128),
      ...rendition(2, "360p", "3.0", 800, 96)
    ])
  })

  it("leaves audio out of the ladder of a silent source", () => {
    const args = ladderArgs(URL, planLadder({ ...source720, audio: null }), "/tmp/w")
    expect(args).not.toContain("0:a:0")
    expect(args).not.toContain("-c:a")
  })
})
