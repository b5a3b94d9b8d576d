// Which HLS engine plays a video in this browser.

export type PlaybackEngine = "hls.js" | "native" | "none"

export interface BrowserSupport {
  /** `video.canPlayType("application/vnd.apple.mpegurl")` is not empty. */
  readonly nativeHls: boolean
  /** Media Source Extensions (or Safari's ManagedMediaSource), which hls.js needs. */
  readonly mediaSource: boolean
  /** Safari (`navigator.vendor` is Apple's). */
  readonly apple: boolean
}

/**
 * Safari's own HLS player is the platform's (AirPlay, picture-in-picture, low power), so Apple browsers play
 * natively and never download hls.js. Chromium also answers "maybe" for HLS nowadays, but its native player has
 * no quality menu and no low-latency tuning, so everywhere else with MSE hls.js plays. `override`
 * (`?engine=native|hls.js`) forces one for testing and support.
 */
export const chooseEngine = (support: BrowserSupport, override: string | null = null): PlaybackEngine => {
  if (override === "native" && support.nativeHls) return "native"
  if (override === "hls.js" && support.mediaSource) return "hls.js"
  if (support.nativeHls && (support.apple || !support.mediaSource)) return "native"
  if (support.mediaSource) return "hls.js"
  return "none"
}

export const detectSupport = (video: HTMLVideoElement): BrowserSupport => ({
  nativeHls: video.canPlayType("application/vnd.apple.mpegurl") !== "",
  mediaSource: "MediaSource" in window || "ManagedMediaSource" in window,
  apple: navigator.vendor.startsWith("Apple")
})
