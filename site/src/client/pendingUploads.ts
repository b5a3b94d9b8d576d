// Uploads that started but did not finish, by file fingerprint: picking the same file again finishes the same
// video (continuing its multipart upload from the stored parts) instead of leaving one behind half made.

export interface PendingUpload {
  readonly videoId: string
  readonly manageToken: string
  /** Multipart uploads only: single PUTs are sent again whole, into the same video. */
  readonly multipart?: { readonly uploadId: string; readonly partSize: number }
  readonly startedAt: string
}

const KEY = "reelbase.pendingUploads.v1"
/** A multipart upload older than this has likely been cleaned up by the server; start afresh. */
const MAX_AGE_MS = 6 * 24 * 3600 * 1000

const load = (): Record<string, PendingUpload> => {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? "{}")
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, PendingUpload>) : {}
  } catch {
    return {}
  }
}

const save = (all: Record<string, PendingUpload>) => {
  try {
    localStorage.setItem(KEY, JSON.stringify(all))
  } catch {
    // Without storage the upload still works; it just cannot resume after the tab closes.
  }
}

export const pendingUpload = (fingerprint: string, now = Date.now()): PendingUpload | undefined => {
  const entry = load()[fingerprint]
  if (entry === undefined || typeof entry.videoId !== "string" || typeof entry.manageToken !== "string") return undefined
  return now - Date.parse(entry.startedAt) > MAX_AGE_MS ? undefined : entry
}

export const rememberPendingUpload = (fingerprint: string, upload: PendingUpload): void => {
  save({ ...load(), [fingerprint]: upload })
}

export const forgetPendingUpload = (fingerprint: string): void => {
  const all = load()
  delete all[fingerprint]
  save(all)
}

export const forgetPendingUploadOf = (videoId: string): void => {
  save(Object.fromEntries(Object.entries(load()).filter(([, upload]) => upload.videoId !== videoId)))
}
