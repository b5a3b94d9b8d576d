// What the upload form can tell about a file before sending a byte. Pure.

/** Browsers leave `type` empty for some containers; these extensions are videos all the same. */
const VIDEO_EXTENSIONS: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/x-m4v",
  mov: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  avi: "video/x-msvideo",
  ts: "video/mp2t",
  mts: "video/mp2t",
  m2ts: "video/mp2t",
  mpg: "video/mpeg",
  mpeg: "video/mpeg",
  ogv: "video/ogg",
  "3gp": "video/3gpp",
  flv: "video/x-flv",
  wmv: "video/x-ms-wmv"
}

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".")
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase()
}

/** The content type to announce: the browser's when it knows it is a video, else one from the extension. */
export const videoContentType = (file: { name: string; type: string }): string | undefined => {
  if (file.type.startsWith("video/")) return file.type
  if (file.type === "" || file.type === "application/octet-stream") return VIDEO_EXTENSIONS[extensionOf(file.name)]
  return undefined
}

/** Why this file cannot be uploaded, in words for the person who picked it; undefined when it can. */
export const fileProblem = (file: { name: string; type: string; size: number }): string | undefined => {
  if (videoContentType(file) === undefined) {
    return `“${file.name}” isn't a video file. Pick a video such as an MP4, MOV, WebM or MKV.`
  }
  if (file.size === 0) return `“${file.name}” is empty (0 bytes).`
  return undefined
}

/** "my_holiday-2026.final.mp4" → "my holiday-2026 final": a starting title the person can change. */
export const titleFromFileName = (name: string): string => {
  const dot = name.lastIndexOf(".")
  const stem = dot > 0 ? name.slice(0, dot) : name
  return stem.replace(/[_.]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 200)
}
