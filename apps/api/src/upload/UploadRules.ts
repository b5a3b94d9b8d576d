// What an upload may be: file names, content types, sizes and multipart part sizes. Pure; each rule returns
// the sentence a client sees when its input breaks it.

export const MAX_FILE_NAME_LENGTH = 255
export const MIN_PART_SIZE = 5 * 1024 * 1024
export const MAX_PARTS = 10_000
/** Parts a browser sends: big enough for few requests, small enough that a resumed upload loses little. */
export const PREFERRED_PART_SIZE = 16 * 1024 * 1024

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/

/**
 * A file name is only ever shown (as the default title), never used as a key; still, names that try to reach
 * elsewhere (`../`, absolute or drive paths) or carry control characters are refused rather than cleaned.
 */
export const fileNameProblem = (fileName: string): string | undefined => {
  if (fileName.trim() === "") return "fileName is empty"
  if (fileName.length > MAX_FILE_NAME_LENGTH) return `fileName is longer than ${MAX_FILE_NAME_LENGTH} characters`
  if (CONTROL_CHARACTERS.test(fileName)) return "fileName contains control characters"
  if (fileName.includes("/") || fileName.includes("\\") || /^[A-Za-z]:/.test(fileName)) {
    return "fileName must be a plain file name, not a path (no '/', '\\' or drive letter)"
  }
  if (fileName === "." || fileName === "..") return "fileName must be a plain file name, not '.' or '..'"
  return undefined
}

const MEDIA_TYPE = /^([a-z0-9][a-z0-9!#$&^_.+-]{0,126})\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126})$/

/** The bare `type/subtype`, lower-cased, or undefined when the text is no media type at all. */
export const mediaType = (contentType: string): string | undefined => {
  const bare = contentType.split(";")[0]!.trim().toLowerCase()
  return MEDIA_TYPE.test(bare) ? bare : undefined
}

export const contentTypeProblem = (contentType: string): string | undefined => {
  const bare = mediaType(contentType)
  if (bare === undefined) return `contentType "${contentType}" is not a media type`
  if (!bare.startsWith("video/")) return `contentType ${bare} is not a video type (video/*)`
  return undefined
}

export const fileSizeProblem = (fileSize: number, maxBytes: number): string | undefined => {
  if (!Number.isSafeInteger(fileSize)) return "fileSize must be a whole number of bytes"
  if (fileSize <= 0) return "fileSize must be at least 1 byte: the file is empty"
  if (fileSize > maxBytes) return `fileSize ${fileSize} is over the limit of ${maxBytes} bytes`
  return undefined
}

/** The title a video gets when the uploader gave none: its file name without the extension. */
export const defaultTitle = (fileName: string): string => {
  const base = fileName.trim()
  const dot = base.lastIndexOf(".")
  const stem = (dot > 0 ? base.slice(0, dot) : base).trim().slice(0, 200).trim()
  return stem === "" ? "Untitled video" : stem
}

/** The preferred part size, doubled until the file fits in S3's 10,000 parts. */
export const partSizeFor = (fileSize: number): number => {
  let size = Math.max(PREFERRED_PART_SIZE, MIN_PART_SIZE)
  while (Math.ceil(fileSize / size) > MAX_PARTS) size *= 2
  return size
}

export const partCountFor = (fileSize: number): number => Math.max(1, Math.ceil(fileSize / partSizeFor(fileSize)))

export interface ListedPart {
  readonly partNumber: number
  readonly size: number
}

/** Why the stored parts do not make the announced file: missing parts, or a total that differs. */
export const partsProblem = (parts: ReadonlyArray<ListedPart>, fileSize: number): string | undefined => {
  const expected = partCountFor(fileSize)
  const present = new Set(parts.map((part) => part.partNumber))
  const missing = Array.from({ length: expected }, (_, index) => index + 1).filter((number) => !present.has(number))
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ")
    return `The upload is incomplete: part${missing.length > 1 ? "s" : ""} ${shown}${missing.length > 10 ? ", ..." : ""} of ${expected} missing`
  }
  const extra = parts.filter((part) => part.partNumber > expected).map((part) => part.partNumber)
  if (extra.length > 0) return `The upload has parts beyond the ${expected} the file needs: ${extra.slice(0, 10).join(", ")}`
  const total = parts.reduce((sum, part) => sum + part.size, 0)
  if (total !== fileSize) return `The stored parts hold ${total} bytes but ${fileSize} were announced`
  return undefined
}
