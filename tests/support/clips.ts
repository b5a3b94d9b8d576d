// Source videos for the VOD tests, generated with ffmpeg (lavfi test patterns and tones), once per process.
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)
const ffmpeg = process.env.FFMPEG_PATH ?? "ffmpeg"
const ffprobe = process.env.FFPROBE_PATH ?? "ffprobe"
// Shared by test files and runs: a clip's name says everything it is made from, so a cached one is the same clip.
const dir = join(tmpdir(), "reelbase-vod-clips")
mkdirSync(dir, { recursive: true })

export interface ClipOptions {
  readonly seconds?: number
  readonly width?: number
  readonly height?: number
  readonly fps?: number
  readonly audio?: boolean
  /** Rotation metadata (the picture is stored landscape, displayed turned). */
  readonly rotate?: 90 | 180 | 270
  /** Irregular frame timestamps, as phones record. */
  readonly variableFrameRate?: boolean
  /** VP9/WebM (odd sizes are legal there, unlike in 4:2:0 H.264). */
  readonly webm?: boolean
  /** Constant video bitrate, kbit/s (H.264 only); a constant quality otherwise. */
  readonly kbps?: number
  /** Moves the MP4 index to the front (as upload tools do); without it a truncated file loses its index. */
  readonly faststart?: boolean
}

const cache = new Map<string, Promise<string>>()

/** Makes (once) and returns the path of a clip with these properties. */
export const clip = (options: ClipOptions = {}): Promise<string> => {
  const { seconds = 3, width = 640, height = 360, fps = 30, audio = true, rotate, variableFrameRate = false, webm = false, kbps, faststart = true } = options
  const name = `clip-${seconds}s-${width}x${height}-${fps}-${audio ? "a" : "na"}-${rotate ?? 0}-${variableFrameRate ? "vfr" : "cfr"}-${kbps ?? "q"}-${faststart ? "fs" : "nofs"}.${webm ? "webm" : "mp4"}`
  const path = join(dir, name)
  const made = cache.get(path) ?? (async () => {
    if (existsSync(path)) return path
    // Written aside and renamed: another test process may be making the same clip.
    const partial = `${path}.${process.pid}.part${path.slice(path.lastIndexOf("."))}`
    const odd = width % 2 === 1 || height % 2 === 1
    const filters = [
      // Odd sizes need a format that allows them while cropping, then 4:2:0 again (VP9 accepts odd 4:2:0).
      ...(odd ? ["format=yuv444p", `crop=${width}:${height}`, "format=yuv420p"] : []),
      // Drop frames irregularly: timestamps then vary from frame to frame.
      ...(variableFrameRate ? ["select='not(mod(n\\,3))+lt(mod(n\\,7)\\,2)'"] : [])
    ]
    const source = `testsrc2=size=${width + (width % 2)}x${height + (height % 2)}:rate=${fps}:duration=${seconds}`
    const video = webm
      ? ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", ...(kbps ? ["-b:v", `${kbps}k`] : ["-crf", "40", "-b:v", "0"])]
      : [
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        // A bitrate is constant (filler data), so test patterns that compress to nothing still make big files.
        ...(kbps ? ["-b:v", `${kbps}k`, "-minrate", `${kbps}k`, "-maxrate", `${kbps}k`, "-bufsize", `${kbps}k`, "-x264-params", "nal-hrd=cbr"] : ["-crf", "28"])
      ]
    const sound = audio ? [webm ? "-c:a" : "-c:a", webm ? "libopus" : "aac", "-b:a", "64k"] : ["-an"]
    await run(ffmpeg, [
      "-y", "-hide_banner", "-loglevel", "error",
      "-f", "lavfi", "-i", source,
      ...(audio ? ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`] : []),
      ...(filters.length > 0 ? ["-vf", filters.join(",")] : []),
      ...(variableFrameRate ? ["-vsync", "vfr"] : []),
      ...video,
      ...sound,
      ...(webm || !faststart ? [] : ["-movflags", "+faststart"]),
      partial
    ])
    if (rotate !== undefined) {
      // Re-encoding drops the rotate tag; a stream copy writes it as a display matrix, as phones do.
      const unrotated = `${partial}.unrotated.mp4`
      renameSync(partial, unrotated)
      await run(ffmpeg, ["-y", "-hide_banner", "-loglevel", "error", "-i", unrotated, "-c", "copy", "-metadata:s:v:0", `rotate=${rotate}`, partial])
      rmSync(unrotated)
    }
    renameSync(partial, path)
    return path
  })()
  cache.set(path, made)
  return made
}

/** What ffprobe reads at a URL or path: streams with their codec and size, and the duration. */
export const probe = async (input: string): Promise<{
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; side_data_list?: Array<{ rotation?: number }> }>
  format: { duration?: string }
}> => {
  const { stdout } = await run(ffprobe, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", input])
  return JSON.parse(stdout)
}

/** Decodes every frame at a URL or path; resolves with the number of video frames, rejects on decode errors. */
export const decodeAll = async (input: string): Promise<number> => {
  const { stdout, stderr } = await run(ffmpeg, ["-v", "error", "-i", input, "-map", "0:v:0", "-f", "null", "-progress", "pipe:1", "-"])
  if (stderr.trim() !== "") throw new Error(`decoding ${input} reported errors:\n${stderr}`)
  const frames = [...stdout.matchAll(/^frame=(\d+)$/gm)].at(-1)?.[1]
  return Number(frames ?? 0)
}

export const clipsDir = dir
