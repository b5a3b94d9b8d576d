// "My uploads": the videos and streams this browser created, with the secrets that manage them.
// There are no accounts; the manage token (and a stream's key) is the owner's proof, kept only here.
import { MY_UPLOADS_CHANGED_EVENT } from "./events.ts"

export interface OwnedVideo {
  readonly id: string
  readonly title: string
  readonly kind: "VOD" | "LIVE"
  readonly manageToken: string
  /** Live streams only: lets the host page publish without pasting the key again. */
  readonly streamKey?: string
  /** Live streams only: where the studio publishes (WHIP). */
  readonly whipUrl?: string
  /** ISO time it was created in this browser. */
  readonly createdAt: string
}

const KEY = "reelbase.myUploads.v1"

const isOwned = (value: unknown): value is OwnedVideo => {
  const entry = value as Partial<OwnedVideo> | null
  return typeof entry?.id === "string" && typeof entry.manageToken === "string" && typeof entry.title === "string"
}

/** Every entry, newest first. Unreadable storage (private mode, corrupt JSON) reads as empty. */
export const ownedVideos = (): Array<OwnedVideo> => {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]")
    return Array.isArray(parsed) ? parsed.filter(isOwned) : []
  } catch {
    return []
  }
}

const save = (entries: ReadonlyArray<OwnedVideo>): boolean => {
  try {
    localStorage.setItem(KEY, JSON.stringify(entries))
    document.dispatchEvent(new CustomEvent(MY_UPLOADS_CHANGED_EVENT))
    return true
  } catch {
    return false
  }
}

/** Adds or replaces the entry for `video.id`; false when the browser refuses to store it. */
export const rememberVideo = (video: OwnedVideo): boolean =>
  save([video, ...ownedVideos().filter((entry) => entry.id !== video.id)])

export const updateOwnedVideo = (id: string, change: Partial<Omit<OwnedVideo, "id">>): void => {
  save(ownedVideos().map((entry) => (entry.id === id ? { ...entry, ...change } : entry)))
}

export const forgetVideo = (id: string): void => {
  save(ownedVideos().filter((entry) => entry.id !== id))
}

/** Tells "My uploads" on this page that an owned video changed state (uploaded, processed), to look again. */
export const announceOwnedVideoChanged = (): void => {
  document.dispatchEvent(new CustomEvent(MY_UPLOADS_CHANGED_EVENT))
}

export const ownedVideo = (id: string): OwnedVideo | undefined => ownedVideos().find((entry) => entry.id === id)

export const manageTokenFor = (id: string): string | undefined => ownedVideo(id)?.manageToken
