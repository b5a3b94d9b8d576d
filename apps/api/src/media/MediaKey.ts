/** A playable object's key, split into the video it belongs to and its kind. Originals are never playable. */
export interface MediaKey {
  readonly key: string
  readonly videoId: string
  readonly area: "videos" | "live"
  readonly extension: string
}

const PLAYABLE_KEY = /^(videos|live)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([A-Za-z0-9_][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_][A-Za-z0-9_.-]*$/

export const parseMediaKey = (key: string): MediaKey | undefined => {
  const match = PLAYABLE_KEY.exec(key)
  if (match === null || key.includes("..")) return undefined
  const extension = key.slice(key.lastIndexOf(".") + 1).toLowerCase()
  return { key, videoId: match[2]!, area: match[1] as "videos" | "live", extension }
}

const CONTENT_TYPES: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  ts: "video/mp2t",
  m4s: "video/iso.segment",
  mp4: "video/mp4",
  m4a: "audio/mp4",
  aac: "audio/aac",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  vtt: "text/vtt"
}

export const contentTypeFor = (media: MediaKey): string => CONTENT_TYPES[media.extension] ?? "application/octet-stream"

export const isPlaylist = (media: MediaKey): boolean => media.extension === "m3u8"
