// The player island: plays a video's HLS with hls.js (loaded only here, only when needed) or the browser's
// own HLS, offers a quality menu, handles live (low latency, LIVE badge, jump to live, end of stream),
// and counts one view per page view when playback starts.
import type HlsType from "hls.js/light"
import type { ErrorData, LevelSwitchedData, LevelUpdatedData } from "hls.js/light"
import { apiFetch, apiJson } from "./api.ts"
import { chooseEngine, detectSupport } from "./engine.ts"
import { VIEW_COUNTED_EVENT } from "./events.ts"
import { manageTokenFor } from "./myUploads.ts"


/**
 * Live: stay two target durations behind the edge (1–2 s segments make that 2–4 s), speed up to 1.2× to catch
 * up after a stall rather than jumping, and jump only when more than six durations behind.
 */
const LIVE_CONFIG = {
  lowLatencyMode: true,
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 6,
  maxLiveSyncPlaybackRate: 1.2,
  backBufferLength: 30
} as const

/** VOD: automatic quality never picks a rendition larger than the player shows. */
const VOD_CONFIG = {
  capLevelToPlayerSize: true,
  backBufferLength: 90
} as const

/** A live stream's status is checked this often, to notice it ended even if the playlist never says so. */
const LIVE_STATUS_EVERY_MS = 15_000

interface PlayerElements {
  readonly root: HTMLElement
  readonly video: HTMLVideoElement
  readonly message: HTMLElement
  readonly messageText: HTMLElement
  readonly retry: HTMLButtonElement
  readonly status: HTMLElement
  readonly quality: HTMLElement
  readonly qualitySelect: HTMLSelectElement
  readonly liveBadge: HTMLElement | null
  readonly jumpToLive: HTMLButtonElement | null
}

const find = <E extends Element>(root: Element, selector: string): E => {
  const element = root.querySelector<E>(selector)
  if (element === null) throw new Error(`player markup lacks ${selector}`)
  return element
}

const elementsOf = (root: HTMLElement): PlayerElements => ({
  root,
  video: find(root, "video"),
  message: find(root, "[data-player-message]"),
  messageText: find(root, "[data-player-message-text]"),
  retry: find(root, "[data-player-retry]"),
  status: find(root, "[data-player-status]"),
  quality: find(root, "[data-quality]"),
  qualitySelect: find(root, "[data-quality] select"),
  liveBadge: root.querySelector("[data-live-badge]"),
  jumpToLive: root.querySelector("[data-jump-live]")
})

const qualityLabel = (height: number, bitrate: number, heights: ReadonlyArray<number>) =>
  heights.filter((h) => h === height).length > 1 ? `${height}p (${Math.round(bitrate / 1000)} kbps)` : `${height}p`

export const mountPlayer = (root: HTMLElement): void => {
  const el = elementsOf(root)
  const src = root.dataset.src ?? ""
  const videoId = root.dataset.videoId ?? ""
  const apiUrl = root.dataset.api ?? ""
  let live = root.dataset.live === "true"
  const token = manageTokenFor(videoId)
  let hls: HlsType | undefined
  let ended = false

  const setStatus = (text: string) => {
    el.status.textContent = text
  }

  const showMessage = (text: string, canRetry: boolean) => {
    el.messageText.textContent = text
    el.retry.hidden = !canRetry
    el.message.hidden = false
  }

  // --- one view per page view, when playback first starts ---------------------------------------------
  el.video.addEventListener("playing", () => {
    void apiFetch(apiUrl, `/api/analytics/view/${encodeURIComponent(videoId)}`, { method: "POST", token })
      .then(() => document.dispatchEvent(new CustomEvent(VIEW_COUNTED_EVENT, { detail: { videoId } })))
      .catch(() => {
        // A view that could not be recorded must never interrupt watching.
      })
  }, { once: true })

  // --- live: badge, jump to live, end of stream ----------------------------------------------------------
  const markEnded = (recordingUrl: string | null) => {
    if (ended) return
    ended = true
    live = false
    el.liveBadge?.setAttribute("hidden", "")
    if (el.jumpToLive) el.jumpToLive.hidden = true
    setStatus("The stream has ended.")
    if (recordingUrl !== null && recordingUrl !== src) {
      const link = document.createElement("a")
      link.href = window.location.pathname
      link.textContent = "Watch the recording"
      el.status.append(" ", link)
    }
  }

  const liveEdge = (): number | undefined => {
    if (hls !== undefined) return hls.liveSyncPosition ?? undefined
    const ranges = el.video.seekable
    return ranges.length > 0 ? ranges.end(ranges.length - 1) : undefined
  }

  let started = false
  el.video.addEventListener("playing", () => {
    started = true
  })

  const updateJumpToLive = () => {
    // Before the first play there is nothing to jump back from: the play button starts at the live edge.
    if (el.jumpToLive === null || !live || !started) return
    const edge = liveEdge()
    const behind = edge === undefined ? 0 : edge - el.video.currentTime
    const allowed = (hls?.targetLatency ?? 6) + 3
    el.jumpToLive.hidden = !(el.video.paused || behind > allowed)
  }

  el.jumpToLive?.addEventListener("click", () => {
    const edge = liveEdge()
    if (edge !== undefined) el.video.currentTime = edge
    void el.video.play().catch(() => {})
    el.jumpToLive!.hidden = true
  })

  if (live) {
    el.video.addEventListener("timeupdate", updateJumpToLive)
    el.video.addEventListener("pause", updateJumpToLive)
    const timer = window.setInterval(() => {
      if (ended) return window.clearInterval(timer)
      apiJson<{ isLiveNow: boolean; hlsUrl: string | null }>(apiUrl, `/api/videos/${encodeURIComponent(videoId)}`, { token })
        .then((video) => {
          if (!video.isLiveNow) markEnded(video.hlsUrl)
        })
        .catch(() => {})
    }, LIVE_STATUS_EVERY_MS)
  }

  // --- quality menu (hls.js only: the native player chooses by itself) ------------------------------------
  const fillQualityMenu = (player: HlsType) => {
    const heights = player.levels.map((level) => level.height)
    const levels = player.levels
      .map((level, index) => ({ index, height: level.height, bitrate: level.bitrate }))
      .filter((level) => level.height > 0)
      .sort((a, b) => b.height - a.height || b.bitrate - a.bitrate)
    el.qualitySelect.replaceChildren(new Option("Auto", "-1", true, true))
    for (const level of levels) {
      el.qualitySelect.append(new Option(qualityLabel(level.height, level.bitrate, heights), String(level.index)))
    }
    el.quality.hidden = levels.length < 2
  }

  const showCurrentQuality = (player: HlsType, levelIndex: number) => {
    const auto = el.qualitySelect.options[0]
    const height = player.levels[levelIndex]?.height
    if (auto) auto.textContent = player.autoLevelEnabled && height ? `Auto (${height}p)` : "Auto"
  }

  el.qualitySelect.addEventListener("change", () => {
    if (hls === undefined) return
    // Switching now (not at the next segment) is what a person who picked a quality expects to see.
    hls.currentLevel = Number(el.qualitySelect.value)
    showCurrentQuality(hls, hls.currentLevel)
  })

  // --- engines -------------------------------------------------------------------------------------------
  const tryAutoplay = () => {
    // Browsers allow this only where the person has engaged with the site; otherwise the play button waits.
    void el.video.play().catch(() => {})
  }

  const playNatively = () => {
    root.dataset.engine = "native"
    el.video.src = src
    el.video.addEventListener("error", () => showMessage("This video can't be played right now.", true), { once: true })
    tryAutoplay()
  }

  const playWithHlsJs = async () => {
    root.dataset.engine = "hls.js"
    setStatus("Loading…")
    let Hls: typeof HlsType
    try {
      Hls = (await import("hls.js/light")).default
    } catch {
      showMessage("The player could not be loaded. Check your connection.", true)
      return
    }
    if (!Hls.isSupported()) {
      showMessage("This browser can't play HLS video. Try a current Firefox, Chrome, Edge or Safari.", false)
      return
    }
    const player = new Hls({ ...(live ? LIVE_CONFIG : VOD_CONFIG) })
    hls = player
    let mediaRecoveries = 0
    let networkRetries = 0
    let manifestRetries = 0
    player.on(Hls.Events.MANIFEST_PARSED, () => {
      manifestRetries = 0
      setStatus("")
      fillQualityMenu(player)
      tryAutoplay()
    })
    player.on(Hls.Events.LEVEL_SWITCHED, (_event, data: LevelSwitchedData) => showCurrentQuality(player, data.level))
    player.on(Hls.Events.LEVEL_UPDATED, (_event, data: LevelUpdatedData) => {
      // The live playlist gained EXT-X-ENDLIST: the host stopped and this is now a recording.
      if (live && !data.details.live) markEnded(null)
    })
    player.on(Hls.Events.FRAG_LOADED, () => {
      networkRetries = 0
    })
    const manifestMissing = new Set<string>([
      Hls.ErrorDetails.MANIFEST_LOAD_ERROR,
      Hls.ErrorDetails.MANIFEST_LOAD_TIMEOUT,
      Hls.ErrorDetails.MANIFEST_PARSING_ERROR,
      Hls.ErrorDetails.LEVEL_EMPTY_ERROR
    ])
    player.on(Hls.Events.ERROR, (_event, data: ErrorData) => {
      if (!data.fatal) return
      // A stream that just went live may not have written its first playlist yet: keep asking, calmly.
      if (manifestMissing.has(data.details) && (live || manifestRetries < 3)) {
        manifestRetries++
        setStatus(live ? "Waiting for the stream to start…" : "Retrying…")
        window.setTimeout(() => player.loadSource(src), Math.min(1000 * manifestRetries, 5000))
        return
      }
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
        mediaRecoveries++
        player.recoverMediaError()
        return
      }
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && networkRetries < 5) {
        networkRetries++
        setStatus("Connection lost; reconnecting…")
        window.setTimeout(() => player.startLoad(), 1000 * networkRetries)
        return
      }
      player.destroy()
      hls = undefined
      showMessage(
        data.type === Hls.ErrorTypes.NETWORK_ERROR
          ? "The video could not be loaded. Check your connection and try again."
          : "This video can't be played in this browser.",
        true
      )
    })
    player.loadSource(src)
    player.attachMedia(el.video)
  }

  const start = () => {
    el.message.hidden = true
    const engine = chooseEngine(detectSupport(el.video), new URLSearchParams(window.location.search).get("engine"))
    if (engine === "native") playNatively()
    else if (engine === "hls.js") void playWithHlsJs()
    else showMessage("This browser can't play HLS video. Try a current Firefox, Chrome, Edge or Safari.", false)
  }

  el.retry.addEventListener("click", () => {
    hls?.destroy()
    hls = undefined
    el.video.removeAttribute("src")
    el.video.load()
    start()
  })

  start()
}
