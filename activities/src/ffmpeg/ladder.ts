// The adaptive bitrate ladder for a source: which renditions, at what size, bitrate cap, frame rate and
// H.264 level. Pure, so the choices are tested without encoding anything.
import { aacCodec, h264Codec } from "../hls/codecs.ts"
import type { SourceInfo } from "./probe.ts"

export interface Rung {
  /** Name of the rendition (its folder): the short side of the picture, "720p". */
  readonly name: string
  readonly shortSide: number
  /** Video bitrate cap, kbit/s. */
  readonly maxrateKbps: number
  readonly audioKbps: number
}

/** The renditions a source may get, best first; a source gets those not above its own short side. */
export const RUNGS: ReadonlyArray<Rung> = [
  { name: "1080p", shortSide: 1080, maxrateKbps: 5000, audioKbps: 128 },
  { name: "720p", shortSide: 720, maxrateKbps: 2800, audioKbps: 128 },
  { name: "480p", shortSide: 480, maxrateKbps: 1400, audioKbps: 128 },
  { name: "360p", shortSide: 360, maxrateKbps: 800, audioKbps: 96 }
]

/** Encoder settings shared by every rendition; tuned with `npm run bench:transcode` (see README). */
export const ENCODER = {
  preset: "veryfast",
  crf: 21,
  /**
   * Extra effort for the top rendition only: trellis quantization and a longer rate-control lookahead. At its cap
   * the top rendition has the fewest bits per pixel, and viewers on good connections all watch it; this buys about
   * 0.5 dB PSNR there for about 5 % more encode time, where the next slower preset for all would cost 35 %.
   */
  topX264Params: "trellis=1:rc-lookahead=20",
  /** Seconds between keyframes: every segment boundary falls on one, in every rendition alike. */
  keyframeSeconds: 2,
  segmentSeconds: 4,
  audioSampleRate: 48000
} as const

export interface PlannedRendition {
  readonly name: string
  readonly width: number
  readonly height: number
  readonly maxrateKbps: number
  readonly bufsizeKbps: number
  readonly audioKbps: number
  /** level_idc for `-level`, and the RFC 6381 string players read from the master playlist. */
  readonly level: number
  readonly codecs: string
  /** `-x264-params` beyond the preset, or null for the preset alone. */
  readonly x264Params: string | null
}

export interface LadderPlan {
  /** Output frame rate as a rational ffmpeg accepts ("30000/1001"), constant even for variable-rate sources. */
  readonly frameRate: string
  readonly frameRateValue: number
  /** Frames between keyframes. */
  readonly gop: number
  readonly hasAudio: boolean
  readonly renditions: ReadonlyArray<PlannedRendition>
}

const STANDARD_RATES: ReadonlyArray<readonly [string, number]> = [
  ["10", 10], ["12", 12], ["15", 15], ["20", 20], ["24000/1001", 24000 / 1001], ["24", 24], ["25", 25],
  ["30000/1001", 30000 / 1001], ["30", 30], ["48", 48], ["50", 50], ["60000/1001", 60000 / 1001], ["60", 60]
]

/** The standard rate nearest (by ratio) to the source's, at most 60: players and encoders expect those. */
export const outputFrameRate = (sourceRate: number): readonly [string, number] => {
  const target = Math.min(Math.max(sourceRate, 1), 60)
  let best = STANDARD_RATES[0]!
  for (const candidate of STANDARD_RATES) {
    if (Math.abs(Math.log(candidate[1] / target)) < Math.abs(Math.log(best[1] / target))) best = candidate
  }
  return best
}

const roundEven = (value: number): number => Math.max(2, Math.round(value / 2) * 2)
const floorEven = (value: number): number => Math.max(2, Math.floor(value / 2) * 2)
/** 4:2:0 pictures need even sizes; rounding must never make a rendition larger than its source. */
const evenWithin = (value: number, limit: number): number => Math.min(roundEven(value), floorEven(limit))

// H.264 levels (ITU-T H.264 table A-1): max frame size in macroblocks and max macroblocks per second.
const LEVELS: ReadonlyArray<readonly [number, number, number]> = [
  [30, 1620, 40500], [31, 3600, 108000], [32, 5120, 216000], [40, 8192, 245760], [42, 8704, 522240],
  [50, 22080, 589824], [51, 36864, 983040]
]

/** The lowest level (3.0 at least) that allows this size at this rate. */
export const h264Level = (width: number, height: number, fps: number): number => {
  const frameMacroblocks = Math.ceil(width / 16) * Math.ceil(height / 16)
  const perSecond = frameMacroblocks * fps
  const fit = LEVELS.find(([, maxFrame, maxRate]) => frameMacroblocks <= maxFrame && perSecond <= maxRate)
  return fit?.[0] ?? 51
}

/** RFC 6381 codecs of a High-profile H.264 rendition with AAC-LC audio (or none). */
export const highProfileCodecs = (level: number, hasAudio: boolean): string =>
  hasAudio ? `${h264Codec("High", level)},${aacCodec("LC")}` : h264Codec("High", level)

/** Renditions never larger than the source, keeping its shape; a source below 360p keeps its own size. */
export const planLadder = (source: SourceInfo): LadderPlan => {
  const { width, height } = source.video
  const shortSide = Math.min(width, height)
  const landscape = width >= height
  const [frameRate, frameRateValue] = outputFrameRate(source.video.frameRate)
  const hasAudio = source.audio !== null

  const longSide = Math.max(width, height)
  const fitting = RUNGS.filter((rung) => rung.shortSide <= shortSide)
  const smallest = RUNGS[RUNGS.length - 1]!
  const ownSize = floorEven(shortSide)
  const rungs = fitting.length > 0
    ? fitting
    : [{
      name: `${ownSize}p`,
      shortSide: ownSize,
      // Fewer pixels than the smallest rung need proportionally fewer bits, within reason.
      maxrateKbps: Math.max(200, Math.round(smallest.maxrateKbps * (ownSize / smallest.shortSide) ** 2)),
      audioKbps: smallest.audioKbps
    }]

  const renditions = rungs.map((rung, index): PlannedRendition => {
    const short = evenWithin(rung.shortSide, shortSide)
    const long = evenWithin((longSide / shortSide) * rung.shortSide, longSide)
    const [w, h] = landscape ? [long, short] : [short, long]
    const level = h264Level(w, h, frameRateValue)
    return {
      name: rung.name,
      width: w,
      height: h,
      maxrateKbps: rung.maxrateKbps,
      bufsizeKbps: rung.maxrateKbps * 2,
      audioKbps: rung.audioKbps,
      level,
      codecs: highProfileCodecs(level, hasAudio),
      x264Params: index === 0 ? ENCODER.topX264Params : null
    }
  })

  return {
    frameRate,
    frameRateValue,
    gop: Math.max(1, Math.round(frameRateValue * ENCODER.keyframeSeconds)),
    hasAudio,
    renditions
  }
}
