// ffmpeg's `-progress` output: blocks of key=value lines, each ended by `progress=continue` or `progress=end`. Pure.

export interface ProgressReport {
  /** Media time written so far, in seconds. */
  readonly outTimeSeconds: number
  /** Frames written so far (of the first output). */
  readonly frame: number
  /** True for the last block. */
  readonly done: boolean
}

/** "00:01:02.500000" → 62.5 */
const clockSeconds = (text: string): number | undefined => {
  const match = /^(-?)(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim())
  if (match === null) return undefined
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4])
  return match[1] === "-" ? -seconds : seconds
}

/** Feeds lines in, gets a report back whenever a block ends. */
export const progressParser = () => {
  let block = new Map<string, string>()
  return (line: string): ProgressReport | undefined => {
    const separator = line.indexOf("=")
    if (separator <= 0) return undefined
    const key = line.slice(0, separator).trim()
    const value = line.slice(separator + 1).trim()
    if (key !== "progress") {
      block.set(key, value)
      return undefined
    }
    const micros = Number(block.get("out_time_us"))
    const fromClock = clockSeconds(block.get("out_time") ?? "")
    const outTimeSeconds = Number.isFinite(micros) && block.get("out_time_us") !== undefined
      ? micros / 1e6
      : fromClock ?? 0
    const frame = Number(block.get("frame") ?? 0)
    block = new Map()
    return {
      // Before the first packet ffmpeg reports negative or N/A times.
      outTimeSeconds: Math.max(0, outTimeSeconds),
      frame: Number.isFinite(frame) ? frame : 0,
      done: value === "end"
    }
  }
}
