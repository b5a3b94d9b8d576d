/** One media segment of an HLS playlist. */
export interface PlaylistSegment {
  /** Its media sequence number: position in the whole stream, not in this playlist. */
  readonly sequence: number
  readonly uri: string
  readonly durationSeconds: number
  readonly programDateTime: string | undefined
}

export interface MediaPlaylist {
  readonly targetDuration: number
  readonly segments: ReadonlyArray<PlaylistSegment>
  readonly ended: boolean
}

const tagValue = (line: string) => line.slice(line.indexOf(":") + 1).trim()

/** Reads an HLS media playlist as ffmpeg writes it (or as `writeRecordingPlaylist` does). */
export const parseMediaPlaylist = (text: string): MediaPlaylist => {
  let targetDuration = 0
  let sequence = 0
  let duration: number | undefined
  let programDateTime: string | undefined
  let ended = false
  const segments: Array<PlaylistSegment> = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === "") continue
    if (line.startsWith("#EXT-X-TARGETDURATION:")) targetDuration = Number(tagValue(line))
    else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) sequence = Number(tagValue(line))
    else if (line.startsWith("#EXTINF:")) duration = Number(tagValue(line).split(",")[0])
    else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) programDateTime = tagValue(line)
    else if (line === "#EXT-X-ENDLIST") ended = true
    else if (!line.startsWith("#")) {
      if (duration === undefined || Number.isNaN(duration)) throw new Error(`segment ${line} has no #EXTINF duration`)
      segments.push({ sequence, uri: line, durationSeconds: duration, programDateTime })
      sequence += 1
      duration = undefined
      programDateTime = undefined
    }
  }
  return { targetDuration, segments, ended }
}

/**
 * The recording: every segment of the session in one playlist. EVENT while the stream runs (players may
 * start from the beginning and follow), VOD with EXT-X-ENDLIST once sealed.
 */
export const writeRecordingPlaylist = (segments: ReadonlyArray<PlaylistSegment>, sealed: boolean): string => {
  const longest = segments.reduce((max, segment) => Math.max(max, segment.durationSeconds), 1)
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:6",
    `#EXT-X-TARGETDURATION:${Math.ceil(longest)}`,
    `#EXT-X-MEDIA-SEQUENCE:${segments[0]?.sequence ?? 0}`,
    `#EXT-X-PLAYLIST-TYPE:${sealed ? "VOD" : "EVENT"}`,
    "#EXT-X-INDEPENDENT-SEGMENTS"
  ]
  for (const segment of segments) {
    if (segment.programDateTime !== undefined) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${segment.programDateTime}`)
    lines.push(`#EXTINF:${segment.durationSeconds.toFixed(6)},`, segment.uri)
  }
  if (sealed) lines.push("#EXT-X-ENDLIST")
  return lines.join("\n") + "\n"
}

/** Segment file names sort by number; `seg_000012.ts` → 12. */
export const segmentNumber = (uri: string): number => Number(/(\d+)\.ts$/.exec(uri)?.[1] ?? Number.NaN)
