// Private videos render only for their owner. The manage token lives in this browser's storage, which the
// server cannot read, so when a page comes back "not found" and this browser owns the video, the token is
// handed to the site's server in a cookie scoped to that one page, and the page loads again.
import { manageTokenFor } from "./myUploads.ts"

export const OWNER_COOKIE = "reelbase_owner"

export const mountOwnerAccess = (root: HTMLElement): void => {
  const videoId = root.dataset.videoId ?? ""
  const path = root.dataset.path ?? ""
  // The server already had the token and still found nothing: the video is really gone.
  if (root.dataset.triedToken === "true") return
  const token = manageTokenFor(videoId)
  if (token === undefined || path === "") return
  const secure = window.location.protocol === "https:" ? "; Secure" : ""
  document.cookie = `${OWNER_COOKIE}=${encodeURIComponent(token)}; Path=${path}; Max-Age=3600; SameSite=Strict${secure}`
  root.hidden = false
  window.location.reload()
}
