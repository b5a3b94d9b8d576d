// How a file is cut into multipart parts, and which parts an interrupted upload still needs. Pure.

export interface PartRange {
  /** 1-based, as S3 numbers parts. */
  readonly partNumber: number
  readonly start: number
  /** Exclusive. */
  readonly end: number
}

export interface StoredPart {
  readonly partNumber: number
  readonly size: number
  readonly etag: string
}

export const partRanges = (fileSize: number, partSize: number): Array<PartRange> => {
  if (partSize < 1) throw new Error("part size must be positive")
  const count = Math.max(1, Math.ceil(fileSize / partSize))
  return Array.from({ length: count }, (_, index) => ({
    partNumber: index + 1,
    start: index * partSize,
    end: Math.min(fileSize, (index + 1) * partSize)
  }))
}

/**
 * The parts still to send. A stored part only counts when its size is the size this plan expects,
 * so a part cut short by a crash is sent again rather than trusted.
 */
export const partsToSend = (ranges: ReadonlyArray<PartRange>, stored: ReadonlyArray<StoredPart>): Array<PartRange> => {
  const complete = new Set(
    stored
      .filter((part) => {
        const range = ranges[part.partNumber - 1]
        return range !== undefined && part.size === range.end - range.start
      })
      .map((part) => part.partNumber)
  )
  return ranges.filter((range) => !complete.has(range.partNumber))
}

/** Bytes already safe in storage, for the progress bar of a resumed upload. */
export const storedBytes = (ranges: ReadonlyArray<PartRange>, stored: ReadonlyArray<StoredPart>): number => {
  const pending = new Set(partsToSend(ranges, stored).map((range) => range.partNumber))
  return ranges.filter((range) => !pending.has(range.partNumber)).reduce((sum, range) => sum + range.end - range.start, 0)
}

/** Same file as before? Name, size and modification time are what the browser gives us without reading it. */
export const fingerprint = (file: { name: string; size: number; lastModified: number }): string =>
  `${file.name}\u0000${file.size}\u0000${file.lastModified}`
