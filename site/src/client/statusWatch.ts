// Watches a video that is not watchable yet (upload pending, transcoding, stream not started) and shows its
// progress live; when it changes state the page reloads, so the server renders what is there now.
import { apiJson } from "./api.ts"
import { manageTokenFor } from "./myUploads.ts"

const POLL_EVERY_MS = 2000
const MAX_BACKOFF_MS = 30_000

export interface WatchedVideo {
  readonly status: string
  readonly hlsUrl: string | null
  readonly isLiveNow: boolean
  readonly progress: number | null
}

/** What the page shows depends on these; when any changes, the page is out of date. */
export const stateKey = (video: WatchedVideo): string =>
  `${video.status}|${video.hlsUrl === null ? "no-media" : "media"}|${video.isLiveNow ? "live" : "not-live"}`

export const percent = (progress: number): number => Math.min(100, Math.max(0, Math.round(progress * 100)))

export const mountStatusWatch = (root: HTMLElement): void => {
  const videoId = root.dataset.videoId ?? ""
  const apiUrl = root.dataset.api ?? ""
  const initialState = root.dataset.state ?? ""
  // While someone already watches the early rendition, a reload would interrupt them: offer it instead.
  const reloadOnChange = root.dataset.reload !== "false"
  const bar = root.querySelector<HTMLProgressElement>("progress")
  const label = root.querySelector<HTMLElement>("[data-progress-label]")
  const ready = root.querySelector<HTMLElement>("[data-ready]")
  let delay = POLL_EVERY_MS
  let done = false

  const showProgress = (progress: number | null) => {
    if (bar === null) return
    if (progress === null) {
      bar.removeAttribute("value")
      if (label) label.textContent = ""
      return
    }
    const value = percent(progress)
    bar.value = value
    bar.setAttribute("aria-valuetext", `${value}%`)
    if (label) label.textContent = `${value}%`
  }

  const poll = async () => {
    if (done) return
    try {
      const video = await apiJson<WatchedVideo>(apiUrl, `/api/videos/${encodeURIComponent(videoId)}`, {
        token: manageTokenFor(videoId)
      })
      delay = POLL_EVERY_MS
      showProgress(video.status === "PROCESSING" ? video.progress : null)
      if (stateKey(video) !== initialState) {
        if (reloadOnChange) {
          done = true
          window.location.reload()
          return
        }
        if (video.status !== "PROCESSING" && ready) {
          done = true
          ready.hidden = false
          bar?.closest("[data-progress]")?.setAttribute("hidden", "")
          return
        }
      }
    } catch {
      // The API is briefly unreachable (or restarting): keep trying, less often.
      delay = Math.min(delay * 2, MAX_BACKOFF_MS)
    }
    window.setTimeout(() => void poll(), delay)
  }

  window.setTimeout(() => void poll(), document.visibilityState === "hidden" ? delay : 0)
}
