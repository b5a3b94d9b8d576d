// What ffprobe says about an upload, reduced to what the transcode needs, or why it is not a usable video. Pure.

export interface SourceVideo {
  readonly codec: string
  readonly profile: string | null
  /** level_idc, e.g. 40 for level 4.0. */
  readonly level: number | null
  readonly pixelFormat: string | null
  /** As displayed: after the rotation metadata and the sample aspect ratio. */
  readonly width: number
  readonly height: number
  /** Degrees the stored picture is turned for display (0, 90, 180 or 270); 90 and 270 swap width and height. */
  readonly rotation: number
  /** Frames per second the stream claims (r_frame_rate), or its average when it claims nothing useful. */
  readonly frameRate: number
  readonly averageFrameRate: number
  readonly variableFrameRate: boolean
}

export interface SourceAudio {
  readonly codec: string
  readonly profile: string | null
  readonly channels: number
  readonly sampleRate: number
}

export interface SourceInfo {
  readonly durationSeconds: number
  readonly formatName: string
  /** Bits per second of the whole file, when the container says. */
  readonly bitrate: number | null
  readonly video: SourceVideo
  readonly audio: SourceAudio | null
}

export type ProbeVerdict =
  | { readonly _tag: "Usable"; readonly source: SourceInfo }
  | { readonly _tag: "Unusable"; readonly reason: string }

/** Beyond these a picture is either broken metadata or more than this platform will decode. */
export const MIN_DIMENSION = 16
export const MAX_DIMENSION = 8192
export const MAX_DURATION_SECONDS = 12 * 3600

interface ProbeStream {
  readonly codec_type?: string
  readonly codec_name?: string
  readonly profile?: string
  readonly level?: number
  readonly pix_fmt?: string
  readonly width?: number
  readonly height?: number
  readonly sample_aspect_ratio?: string
  readonly r_frame_rate?: string
  readonly avg_frame_rate?: string
  readonly duration?: string
  readonly channels?: number
  readonly sample_rate?: string
  readonly tags?: Record<string, string>
  readonly side_data_list?: ReadonlyArray<{ readonly rotation?: number }>
  readonly disposition?: { readonly attached_pic?: number }
}

interface ProbeOutput {
  readonly streams?: ReadonlyArray<ProbeStream>
  readonly format?: { readonly format_name?: string; readonly duration?: string; readonly bit_rate?: string }
}

const unusable = (reason: string): ProbeVerdict => ({ _tag: "Unusable", reason })

const positive = (text: string | undefined): number | null => {
  const value = Number(text)
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : null
}

/** "30000/1001" → 29.97; "0/0" and junk → null. */
export const parseRational = (text: string | undefined): number | null => {
  if (text === undefined) return null
  const [num, den] = text.split(/[/:]/).map(Number)
  if (num === undefined || den === undefined || !Number.isFinite(num) || !Number.isFinite(den) || num <= 0 || den <= 0) return null
  return num / den
}

/** Rotation from the display matrix, or from the `rotate` tag older muxers wrote. */
const rotationOf = (stream: ProbeStream): number => {
  const matrix = stream.side_data_list?.find((data) => typeof data.rotation === "number")?.rotation
  const degrees = matrix ?? Number(stream.tags?.rotate ?? 0)
  const normalized = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360
  return Number.isFinite(normalized) ? normalized : 0
}

/** Decides from ffprobe's JSON (`-show_format -show_streams`) whether the file is a video the ladder can encode. */
export const judgeProbe = (output: unknown): ProbeVerdict => {
  const probe = (output ?? {}) as ProbeOutput
  const streams = probe.streams ?? []
  // Cover art in audio files is a "video" stream of one picture; it is not a video.
  const video = streams.find((stream) => stream.codec_type === "video" && stream.disposition?.attached_pic !== 1)
  if (video === undefined) return unusable("The file has no video stream")
  const audio = streams.find((stream) => stream.codec_type === "audio")

  const storedWidth = video.width ?? 0
  const storedHeight = video.height ?? 0
  if (storedWidth < MIN_DIMENSION || storedHeight < MIN_DIMENSION || storedWidth > MAX_DIMENSION || storedHeight > MAX_DIMENSION) {
    return unusable(
      `The video is ${storedWidth}x${storedHeight} pixels; only sizes from ${MIN_DIMENSION} to ${MAX_DIMENSION} pixels a side are supported`
    )
  }

  const duration = positive(probe.format?.duration) ?? positive(video.duration)
  if (duration === null) return unusable("The file has no duration: it is not a playable video (a still image or a damaged file?)")
  if (duration > MAX_DURATION_SECONDS) {
    return unusable(`The video lasts ${Math.round(duration / 3600)} hours; at most ${MAX_DURATION_SECONDS / 3600} hours are supported`)
  }

  const realFrameRate = parseRational(video.r_frame_rate)
  const averageFrameRate = parseRational(video.avg_frame_rate) ?? realFrameRate
  if (averageFrameRate === null) return unusable("The video stream has no frame rate")
  // r_frame_rate is the stream's base rate; a timebase-like value (90000) says nothing about frames.
  const frameRate = realFrameRate !== null && realFrameRate <= 240 ? realFrameRate : averageFrameRate
  const variableFrameRate = realFrameRate === null || Math.abs(realFrameRate - averageFrameRate) / averageFrameRate > 0.01

  const sar = parseRational(video.sample_aspect_ratio) ?? 1
  const rotation = rotationOf(video)
  const shownWidth = Math.max(1, Math.round(storedWidth * sar))
  const [width, height] = rotation % 180 === 0 ? [shownWidth, storedHeight] : [storedHeight, shownWidth]

  return {
    _tag: "Usable",
    source: {
      durationSeconds: duration,
      formatName: probe.format?.format_name ?? "unknown",
      bitrate: positive(probe.format?.bit_rate),
      video: {
        codec: video.codec_name ?? "unknown",
        profile: video.profile ?? null,
        level: typeof video.level === "number" && video.level > 0 ? video.level : null,
        pixelFormat: video.pix_fmt ?? null,
        width,
        height,
        rotation,
        frameRate,
        averageFrameRate,
        variableFrameRate
      },
      audio: audio === undefined
        ? null
        : {
          codec: audio.codec_name ?? "unknown",
          profile: audio.profile ?? null,
          channels: audio.channels ?? 2,
          sampleRate: positive(audio.sample_rate) ?? 48000
        }
    }
  }
}

const BROWSER_H264_PROFILES = new Set(["Constrained Baseline", "Baseline", "Main", "High"])
const BROWSER_AAC_PROFILES = new Set(["LC", "HE-AAC", "HE-AACv2"])

/**
 * Whether the stored streams play in browsers as they are, so that a remux to HLS (no re-encode) is watchable:
 * 8-bit 4:2:0 H.264 in a browser profile, AAC or no audio, and no rotation (HLS players ignore rotation metadata).
 */
export const isBrowserPlayable = (source: SourceInfo): boolean =>
  source.video.codec === "h264" &&
  BROWSER_H264_PROFILES.has(source.video.profile ?? "") &&
  (source.video.pixelFormat === "yuv420p" || source.video.pixelFormat === "yuvj420p") &&
  source.video.rotation === 0 &&
  (source.audio === null || (source.audio.codec === "aac" && BROWSER_AAC_PROFILES.has(source.audio.profile ?? "LC")))

/** A plain-words reason for an ffprobe that could not read the file at all. */
export const unreadableReason = (stderr: string): string => {
  if (/moov atom not found/i.test(stderr)) {
    return "The file is not a complete video: its index is missing (an interrupted upload or a truncated file?)"
  }
  if (/Invalid data found|could not find codec parameters|unknown format|End of file/i.test(stderr)) {
    return "The file is not a video that can be read (an unsupported format, or not a video at all)"
  }
  return "The file could not be read as a video"
}
