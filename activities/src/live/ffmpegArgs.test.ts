import { describe, expect, it } from "vitest"
import { liveHlsArgs, type LivePackagingPlan } from "./ffmpegArgs.ts"
import { rtpSessionSdp } from "./rtpSdp.ts"

const plan: LivePackagingPlan = {
  sdpPath: "/tmp/live/in.sdp",
  video: "h264",
  audio: true,
  outputDir: "/tmp/live/out",
  segmentSeconds: 1,
  playlistSize: 6,
  inputTimeoutSeconds: 20
}

describe("liveHlsArgs", () => {
  it("copies the publisher's H.264, turns Opus into AAC and writes 1 s HLS segments", () => {
    expect(liveHlsArgs(plan)).toEqual([
      "-hide_banner",
      "-loglevel", "warning",
      "-nostats",
      "-protocol_whitelist", "file,udp,rtp",
      "-fflags", "+genpts",
      "-listen_timeout", "20",
      "-i", "/tmp/live/in.sdp",
      "-map", "0:v:0",
      "-c:v", "copy",
      "-map", "0:a:0",
      "-c:a", "aac",
      "-b:a", "128k",
      "-ac", "2",
      "-ar", "48000",
      "-max_muxing_queue_size", "4096",
      "-f", "hls",
      "-hls_time", "1",
      "-hls_list_size", "6",
      "-hls_flags", "independent_segments+program_date_time+temp_file",
      "-hls_segment_type", "mpegts",
      "-hls_segment_filename", "/tmp/live/out/seg_%06d.ts",
      "/tmp/live/out/index.m3u8"
    ])
  })

  it("re-encodes VP8 to H.264 with a keyframe at every segment boundary, and leaves audio out when there is none", () => {
    const args = liveHlsArgs({ ...plan, video: "vp8", audio: false, segmentSeconds: 2 })
    const videoPart = args.slice(args.indexOf("-fps_mode"), args.indexOf("-max_muxing_queue_size"))
    expect(videoPart).toEqual([
      "-fps_mode", "passthrough",
      "-c:v", "libx264",
      "-preset", "veryfast",
      "-tune", "zerolatency",
      "-crf", "23",
      "-maxrate", "3M",
      "-bufsize", "6M",
      "-pix_fmt", "yuv420p",
      "-level:v", "4.1",
      "-force_key_frames", "expr:gte(t,n_forced*2)",
      "-sc_threshold", "0"
    ])
    expect(args).not.toContain("0:a:0")
    expect(args[args.indexOf("-hls_time") + 1]).toBe("2")
  })
})

describe("rtpSessionSdp", () => {
  it("describes video and audio on their loopback ports with the negotiated payload types", () => {
    expect(rtpSessionSdp({
      video: { port: 20000, payloadType: 102, codec: "h264", fmtp: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f" },
      audio: { port: 20002, payloadType: 111 }
    })).toBe([
      "v=0",
      "o=- 0 0 IN IP4 127.0.0.1",
      "s=Reelbase live ingest",
      "c=IN IP4 127.0.0.1",
      "t=0 0",
      "m=video 20000 RTP/AVP 102",
      "a=rtcp:20001",
      "a=rtpmap:102 H264/90000",
      "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
      "m=audio 20002 RTP/AVP 111",
      "a=rtcp:20003",
      "a=rtpmap:111 opus/48000/2",
      ""
    ].join("\r\n"))
  })

  it("describes a video-only VP8 session", () => {
    expect(rtpSessionSdp({ video: { port: 21000, payloadType: 96, codec: "vp8", fmtp: undefined }, audio: undefined }))
      .toBe("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=Reelbase live ingest\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 21000 RTP/AVP 96\r\na=rtcp:21001\r\na=rtpmap:96 VP8/90000\r\n")
  })
})
