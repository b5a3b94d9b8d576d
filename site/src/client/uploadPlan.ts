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

/** S3 allows at most 10,000 parts, each at least 5 MiB except the last. */
export const MAX_PARTS = 10_000
export const MIN_PART_SIZE = 5 * 1024 * 1024

export const partRanges = (fileSize: number, partSize: number): Array<PartRange> => {
  if (partSize < 1) throw new Error("part size must be positive")
  const count = Math.max(1, Math.ceil(fileSize / partSize))
  return Array.from({ length: count }, (_, index) => ({
    partNumber: index + 1,
    start: index * partSize,
    end: Math.min(fileSize, (index + 1) * partSize)
  }))
}

/** A part size that keeps the count under S3's limit: `preferred`, doubled until it fits. */
export const choosePartSize = (fileSize: number, preferred: number): number => {
  let size = Math.max(preferred, MIN_PART_SIZE)
  while (Math.ceil(fileSize / size) > MAX_PARTS) size *= 2
  return size
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
