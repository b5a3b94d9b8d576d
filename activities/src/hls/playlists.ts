// Reading media playlists and writing master playlists (RFC 8216). Pure.

export interface Segment {
  readonly uri: string
  readonly durationSeconds: number
}

/** The segments a media playlist names, with their EXTINF durations. */
export const mediaSegments = (playlist: string): Array<Segment> => {
  const segments: Array<Segment> = []
  let pendingDuration: number | undefined
  for (const raw of playlist.split("\n")) {
    const line = raw.trim()
    if (line.startsWith("#EXTINF:")) {
      pendingDuration = Number.parseFloat(line.slice("#EXTINF:".length))
    } else if (line !== "" && !line.startsWith("#") && pendingDuration !== undefined) {
      segments.push({ uri: line, durationSeconds: pendingDuration })
      pendingDuration = undefined
    }
  }
  return segments
}

export interface Bandwidth {
  /** BANDWIDTH: the highest bitrate of any segment, bits per second (RFC 8216 4.3.4.2). */
  readonly peak: number
  /** AVERAGE-BANDWIDTH: all segment bits over the whole duration. */
  readonly average: number
}

/** Measures a rendition from its segments' durations and sizes in bytes. */
export const measureBandwidth = (segments: ReadonlyArray<Segment & { readonly sizeBytes: number }>): Bandwidth => {
  let peak = 0
  let bytes = 0
  let seconds = 0
  for (const segment of segments) {
    bytes += segment.sizeBytes
    seconds += segment.durationSeconds
    // A very short last segment says little about the rate a player must sustain.
    if (segment.durationSeconds >= 0.5) peak = Math.max(peak, (segment.sizeBytes * 8) / segment.durationSeconds)
  }
  const average = seconds > 0 ? (bytes * 8) / seconds : 0
  return { peak: Math.ceil(Math.max(peak, average)), average: Math.ceil(average) }
}

export interface VariantStream {
  /** Path of the rendition's media playlist, relative to the master playlist. */
  readonly uri: string
  readonly bandwidth: Bandwidth
  readonly width: number
  readonly height: number
  readonly frameRate: number | undefined
  readonly codecs: string
}

/**
 * A master playlist listing the variants in the order given (the first is where players without their own
 * estimate start).
 */
export const masterPlaylist = (variants: ReadonlyArray<VariantStream>): string => {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
  for (const variant of variants) {
    const attributes = [
      `BANDWIDTH=${variant.bandwidth.peak}`,
      `AVERAGE-BANDWIDTH=${variant.bandwidth.average}`,
      `RESOLUTION=${variant.width}x${variant.height}`,
      ...(variant.frameRate === undefined ? [] : [`FRAME-RATE=${variant.frameRate.toFixed(3)}`]),
      `CODECS="${variant.codecs}"`
    ]
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(",")}`, variant.uri)
  }
  return `${lines.join("\n")}\n`
}
