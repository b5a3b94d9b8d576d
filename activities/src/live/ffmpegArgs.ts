import type { IngestVideoCodec } from "./keyframes.ts"

/** What the live packager turns the publisher's RTP into. */
export interface LivePackagingPlan {
  /** The SDP file describing the RTP/UDP streams ffmpeg receives. */
  readonly sdpPath: string
  readonly video: IngestVideoCodec
  readonly audio: boolean
  readonly outputDir: string
  readonly segmentSeconds: number
  /** How many segments the live playlist keeps. */
  readonly playlistSize: number
  /** ffmpeg gives up when no packet arrives for this long (before the first one, or after the last). */
  readonly inputTimeoutSeconds: number
}

export const LIVE_PLAYLIST_NAME = "index.m3u8"
export const LIVE_SEGMENT_PATTERN = /^seg_\d{6}\.ts$/

/** H.264 from the browser is copied as it is; VP8 is re-encoded because HLS players cannot play it in TS. */
const videoCodecArgs = (plan: LivePackagingPlan): Array<string> =>
  plan.video === "h264"
    ? [
      // The publisher's H.264 goes out untouched: no decode, no encode, almost no CPU.
      "-c:v", "copy"
    ]
    : [
      // Browsers send a variable frame rate with 90 kHz timestamps; a constant-rate output would invent
      // 90,000 frames a second. Each received frame is encoded once, at its own time.
      "-fps_mode", "passthrough",
      "-c:v", "libx264",
      // Fast enough for a camera on a small server; the stream is re-encoded once more by nobody.
      "-preset", "veryfast",
      // No lookahead or B-frames: every frame leaves the encoder as soon as it is in.
      "-tune", "zerolatency",
      "-crf", "23",
      // Caps the bitrate so a noisy camera cannot flood the viewers' connections.
      "-maxrate", "3M",
      "-bufsize", "6M",
      // Players everywhere decode 8-bit 4:2:0.
      "-pix_fmt", "yuv420p",
      // x264 would derive the level from the 90 kHz time base as if that were the frame rate; 4.1 covers 1080p30.
      "-level:v", "4.1",
      // A keyframe at every segment boundary, so every segment starts playable.
      "-force_key_frames", `expr:gte(t,n_forced*${plan.segmentSeconds})`,
      // Scene cuts must not add keyframes that would split segments unevenly.
      "-sc_threshold", "0"
    ]

const audioArgs = (plan: LivePackagingPlan): Array<string> =>
  plan.audio
    ? [
      "-map", "0:a:0",
      // Opus does not go into MPEG-TS segments for most players; AAC does everywhere.
      "-c:a", "aac",
      "-b:a", "128k",
      "-ac", "2",
      "-ar", "48000"
    ]
    : []

/** The ffmpeg command line that packages one live session as HLS, one flag per line. */
export const liveHlsArgs = (plan: LivePackagingPlan): Array<string> => [
  "-hide_banner",
  // Per-frame statistics would flood the worker's log; warnings and errors still show.
  "-loglevel", "warning",
  "-nostats",
  // The SDP names RTP over UDP on loopback; nothing else may be opened from it.
  "-protocol_whitelist", "file,udp,rtp",
  // Canvas and screen captures have a variable frame rate; packets without a timestamp get one.
  "-fflags", "+genpts",
  // Waits this long for the publisher's first packet; and an ffmpeg orphaned by a crashed worker, whose packets
  // stop, exits by itself after the same time instead of holding its ports forever.
  "-listen_timeout", String(plan.inputTimeoutSeconds),
  "-i", plan.sdpPath,
  "-map", "0:v:0",
  ...videoCodecArgs(plan),
  ...audioArgs(plan),
  // Audio can start well before the first keyframe: buffer it instead of failing.
  "-max_muxing_queue_size", "4096",
  "-f", "hls",
  // Short segments are what makes the latency low; the ingest asks for a keyframe each segment.
  "-hls_time", String(plan.segmentSeconds),
  "-hls_list_size", String(plan.playlistSize),
  // Every segment starts with a keyframe; PROGRAM-DATE-TIME lets players and the recording keep wall time;
  // temp_file renames finished files into place so the uploader never sees half a segment or playlist.
  "-hls_flags", "independent_segments+program_date_time+temp_file",
  "-hls_segment_type", "mpegts",
  // Six digits: eleven days of one-second segments before the names would need to grow.
  "-hls_segment_filename", `${plan.outputDir}/seg_%06d.ts`,
  `${plan.outputDir}/${LIVE_PLAYLIST_NAME}`
]
