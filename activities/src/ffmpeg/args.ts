// ffmpeg and ffprobe argument lists, built by pure functions so they are tested as golden expectations.
// One flag per line, with why it is there.
import { ENCODER, type LadderPlan } from "./ladder.ts"

/** Inputs are usually presigned S3 URLs: a dropped connection should resume, not end the encode early. */
const inputOptions = (input: string): Array<string> =>
  /^https?:\/\//.test(input)
    ? [
      // Reopen the connection (with a Range request) when it drops mid-file.
      "-reconnect", "1",
      // Also when the network fails rather than the server closing.
      "-reconnect_on_network_error", "1",
      // Give up after half a minute of trying: the activity's retry takes over.
      "-reconnect_delay_max", "30"
    ]
    : []

/** Shared by every ffmpeg run: quiet, never interactive, machine-readable progress on stdout. */
const common: ReadonlyArray<string> = [
  // No banner: stderr keeps only what explains a failure.
  "-hide_banner",
  // Errors only, for the same reason.
  "-loglevel", "error",
  // Never read the terminal (ffmpeg would otherwise wait on stdin for keys).
  "-nostdin",
  // Overwrite outputs of an earlier attempt in the same folder.
  "-y"
]

const progress: ReadonlyArray<string> = [
  // key=value progress blocks on stdout: out_time_us drives heartbeats and the progress bar.
  "-progress", "pipe:1",
  // No human-readable stats line on stderr.
  "-nostats"
]

/** ffprobe: streams and container as JSON. */
export const probeArgs = (input: string): Array<string> => [
  // Errors only on stderr: they become the reason for a file that cannot be read.
  "-v", "error",
  // JSON for the parser.
  "-print_format", "json",
  // Duration, bitrate and container name.
  "-show_format",
  // Codecs, sizes, rotation, frame rates.
  "-show_streams",
  ...inputOptions(input),
  input
]

/**
 * Decodes one video frame at `atSeconds`: a file whose index promises more than its data holds (a truncated
 * upload) decodes nothing near its end.
 */
export const frameCheckArgs = (input: string, atSeconds: number): Array<string> => [
  ...common,
  // Seek on the input (fast, by the index) to the instant to check.
  "-ss", atSeconds.toFixed(3),
  ...inputOptions(input),
  "-i", input,
  // The first video stream only.
  "-map", "0:v:0",
  // One frame is enough to know the data is there.
  "-frames:v", "1",
  ...progress,
  // Decode, write nothing.
  "-f", "null",
  "-"
]

/** The poster: one frame, turned upright, fitted into 1280x720. */
export const thumbnailArgs = (input: string, atSeconds: number, output: string): Array<string> => [
  ...common,
  // Seek on the input to the poster instant.
  "-ss", atSeconds.toFixed(3),
  ...inputOptions(input),
  "-i", input,
  // The first video stream only.
  "-map", "0:v:0",
  // One picture.
  "-frames:v", "1",
  // Fitted into 1280x720 keeping the shape, never enlarged (ffmpeg's autorotate has already turned it upright).
  "-vf", "scale='min(1280,iw)':'min(720,ih)':force_original_aspect_ratio=decrease",
  // JPEG quality (2 best .. 31 worst): a sharp poster that stays small.
  "-q:v", "3",
  output
]

/** HLS muxer settings shared by the early remux and the ladder. */
const hlsOutput = (folder: string): Array<string> => [
  // HLS: a media playlist plus segments.
  "-f", "hls",
  // Target segment length; segments end on the next keyframe after it.
  "-hls_time", String(ENCODER.segmentSeconds),
  // A finished, complete playlist (EXT-X-PLAYLIST-TYPE:VOD, EXT-X-ENDLIST).
  "-hls_playlist_type", "vod",
  // Every segment starts with a keyframe: players may switch renditions at any segment.
  "-hls_flags", "independent_segments",
  // MPEG-TS segments: every player plays them, and each is self-contained.
  "-hls_segment_type", "mpegts",
  // Segment names are stable across attempts, so a retried upload overwrites rather than duplicates.
  "-hls_segment_filename", `${folder}/seg_%05d.ts`,
  `${folder}/index.m3u8`
]

/**
 * Early publish: the source's own H.264/AAC streams cut into HLS segments without re-encoding, so the video
 * plays seconds after upload while the ladder encodes.
 */
export const remuxArgs = (input: string, hasAudio: boolean, folder: string): Array<string> => [
  ...common,
  ...inputOptions(input),
  "-i", input,
  // The first video stream...
  "-map", "0:v:0",
  // ...and the first audio stream, when there is one.
  ...(hasAudio ? ["-map", "0:a:0"] : []),
  // Copy the compressed streams as they are: no decoding, no quality loss.
  "-c", "copy",
  ...progress,
  ...hlsOutput(folder)
]

/**
 * The whole ladder in one ffmpeg process: the source is decoded once, turned upright (autorotate), brought to
 * a constant frame rate, split, and scaled for each rendition; every encoder uses the same fixed GOP without
 * scene-cut keyframes, so keyframes (and therefore segment boundaries) line up across renditions.
 */
export const ladderArgs = (input: string, plan: LadderPlan, folder: string): Array<string> => {
  const count = plan.renditions.length
  const labels = plan.renditions.map((_, index) => `[s${index}]`).join("")
  const graph = [
    // Constant frame rate (variable-rate sources too), 8-bit 4:2:0 (what browsers decode), then one copy per rendition.
    `[0:v:0]fps=${plan.frameRate},format=yuv420p,split=${count}${labels}`,
    // Each copy scaled to its rendition with square pixels.
    ...plan.renditions.map((rendition, index) => `[s${index}]scale=${rendition.width}:${rendition.height},setsar=1[v${index}]`)
  ].join(";")

  const outputs = plan.renditions.flatMap((rendition, index) => [
    // This rendition's picture.
    "-map", `[v${index}]`,
    // The first audio stream, encoded for each rendition so every one of them is self-contained.
    ...(plan.hasAudio ? ["-map", "0:a:0"] : []),
    // H.264: the codec every browser and device plays.
    "-c:v", "libx264",
    // Speed against size: see ENCODER and the benchmark.
    "-preset", ENCODER.preset,
    // More effort where it pays most (the top rendition): see ENCODER.topX264Params.
    ...(rendition.x264Params === null ? [] : ["-x264-params", rendition.x264Params]),
    // High profile: better compression, played everywhere that matters.
    "-profile:v", "high",
    // The lowest level that fits this size and rate, as the CODECS attribute announces.
    "-level:v", (rendition.level / 10).toFixed(1),
    // Constant quality...
    "-crf", String(ENCODER.crf),
    // ...capped, so a complex scene cannot exceed the rendition's bandwidth.
    "-maxrate", `${rendition.maxrateKbps}k`,
    // The cap holds over two seconds of video.
    "-bufsize", `${rendition.bufsizeKbps}k`,
    // A keyframe every keyframeSeconds...
    "-g", String(plan.gop),
    // ...exactly, never earlier...
    "-keyint_min", String(plan.gop),
    // ...and none at scene cuts: identical GOPs in every rendition.
    "-sc_threshold", "0",
    ...(plan.hasAudio
      ? [
        // AAC-LC: the audio codec of HLS.
        "-c:a", "aac",
        // Audio bitrate of this rendition.
        "-b:a", `${rendition.audioKbps}k`,
        // Stereo: surround downmixed, mono kept playable everywhere.
        "-ac", "2",
        // One sample rate across renditions, so switching never resamples.
        "-ar", String(ENCODER.audioSampleRate)
      ]
      : []),
    // Outputs start at different times; a deep queue keeps one waiting output from failing the run.
    "-max_muxing_queue_size", "4096",
    ...hlsOutput(`${folder}/${rendition.name}`)
  ])

  return [
    ...common,
    ...inputOptions(input),
    "-i", input,
    // Decode once, split, scale: see the graph above.
    "-filter_complex", graph,
    ...progress,
    ...outputs
  ]
}
