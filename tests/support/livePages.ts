// Browser pages that publish to and watch live streams, driven through playwright-core. Used by the live tests
// and by `npm run bench:live`, so nothing here reads the test environment: callers pass every URL.
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Browser, Page } from "playwright-core"

export type PublisherSource =
  /** Chromium's fake camera and microphone (needs the browser launched with the fake-device flags). */
  | "camera"
  /** A canvas animation and a WebAudio tone: no camera permission, so Chromium hides its addresses behind mDNS. */
  | "canvas"
  /** A canvas showing the wall clock as black and white blocks, for measuring glass-to-glass latency. */
  | "clock"

export interface PublisherOptions {
  readonly source: PublisherSource
  /** Offer only this video codec (RTCRtpTransceiver.setCodecPreferences); the browser's own order otherwise. */
  readonly videoCodec?: "H264" | "VP8"
  readonly audio?: boolean
  readonly width?: number
  readonly height?: number
}

export interface PublishResult {
  readonly status: number
  readonly location: string | null
  readonly body: string
  readonly offerSdp: string
  /** Milliseconds from sending the offer to the answer. */
  readonly answerMs: number
}

/**
 * A page of the site's own origin, served by the site's server on loopback: the API's CORS allows exactly that
 * origin, and Chromium's Local Network Access lets a loopback page call the loopback API. (A page made up with
 * `page.route` counts as public and is refused.) Any path works; a missing one is a 404 page, which is enough.
 */
const openBlankSitePage = async (browser: Browser, siteOrigin: string): Promise<Page> => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 800, height: 600 } })
  const page = await context.newPage()
  await page.goto(`${siteOrigin}/__reelbase-live-test`)
  await page.evaluate(() => {
    document.body.replaceChildren()
    document.body.style.margin = "0"
  })
  return page
}

// --- the clock pattern: 44 bits of Date.now(), one block each, on a white frame -------------------------------

/** Drawn by the publisher and read by the viewer; both run this code in the browser, so it must be self-contained. */
export const CLOCK = { bits: 44, columns: 11, block: 40, left: 40, top: 40 } as const

export const openPublisher = async (browser: Browser, siteOrigin: string, options: PublisherOptions): Promise<Page> => {
  const page = await openBlankSitePage(browser, siteOrigin)
  await page.evaluate(async ({ options, clock }) => {
    const width = options.width ?? 640
    const height = options.height ?? 360
    let stream: MediaStream
    if (options.source === "camera") {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width, height }, audio: options.audio ?? true })
    } else {
      const canvas = document.createElement("canvas")
      canvas.width = width
      canvas.height = height
      document.body.append(canvas)
      const g = canvas.getContext("2d")!
      let frame = 0
      const draw = () => {
        frame += 1
        const now = Date.now()
        g.fillStyle = options.source === "clock" ? "#fff" : `hsl(${(frame * 3) % 360} 70% 50%)`
        g.fillRect(0, 0, width, height)
        if (options.source === "clock") {
          for (let bit = 0; bit < clock.bits; bit++) {
            const on = Math.floor(now / 2 ** bit) % 2 === 1
            g.fillStyle = on ? "#000" : "#fff"
            g.fillRect(clock.left + (bit % clock.columns) * clock.block, clock.top + Math.floor(bit / clock.columns) * clock.block, clock.block, clock.block)
          }
        }
        // Something that moves, so every frame differs for the encoder too.
        g.fillStyle = "#c00"
        g.fillRect((frame * 7) % width, height - 40, 30, 30)
      }
      // setInterval, not requestAnimationFrame: a headless page may not paint, but its timers run.
      setInterval(draw, 1000 / 30)
      draw()
      stream = canvas.captureStream(30)
      if (options.audio ?? options.source === "canvas") {
        const audio = new AudioContext()
        const tone = audio.createOscillator()
        const destination = audio.createMediaStreamDestination()
        tone.connect(destination)
        tone.start()
        stream.addTrack(destination.stream.getAudioTracks()[0]!)
      }
    }
    const pc = new RTCPeerConnection()
    for (const track of stream.getTracks()) {
      const transceiver = pc.addTransceiver(track, { direction: "sendonly" })
      if (track.kind === "video" && options.videoCodec !== undefined) {
        const wanted = options.videoCodec.toLowerCase()
        const codecs = RTCRtpSender.getCapabilities("video")!.codecs.filter((codec) => codec.mimeType.toLowerCase() === `video/${wanted}`)
        transceiver.setCodecPreferences(codecs)
      }
    }
    ;(window as any).__publisher = { pc, stream }
  }, { options, clock: CLOCK })
  return page
}

/** Makes an offer with every candidate in it, sends it (WHIP or JSON signalling) and applies the answer. */
export const publish = (
  page: Page,
  target: { readonly url: string; readonly streamKey: string; readonly protocol: "whip" | "signal" }
): Promise<PublishResult> =>
  page.evaluate(async (target) => {
    const { pc } = (window as any).__publisher as { pc: RTCPeerConnection }
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === "complete") return resolve()
      pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve())
    })
    const offerSdp = pc.localDescription!.sdp
    const started = performance.now()
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${target.streamKey}`,
        "content-type": target.protocol === "whip" ? "application/sdp" : "application/json"
      },
      body: target.protocol === "whip" ? offerSdp : JSON.stringify({ type: "offer", sdp: offerSdp })
    })
    const body = await response.text()
    const answerMs = performance.now() - started
    if (response.ok) {
      const answer = target.protocol === "whip" ? body : (JSON.parse(body) as { sdp: string }).sdp
      await pc.setRemoteDescription({ type: "answer", sdp: answer })
    }
    return { status: response.status, location: response.headers.get("location"), body, offerSdp, answerMs }
  }, target)

export const connectionState = (page: Page): Promise<string> =>
  page.evaluate(() => ((window as any).__publisher.pc as RTCPeerConnection).connectionState)

/** WHIP DELETE of the session, from the page (as a host page would do it). */
export const endSession = (page: Page, sessionUrl: string, streamKey: string): Promise<number> =>
  page.evaluate(async ({ sessionUrl, streamKey }) => {
    const response = await fetch(sessionUrl, { method: "DELETE", headers: { authorization: `Bearer ${streamKey}` } })
    return response.status
  }, { sessionUrl, streamKey })

// --- viewers -----------------------------------------------------------------------------------------------------

const hlsJsSource = (() => {
  let source: string | undefined
  return () => (source ??= readFileSync(createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js"), "utf8"))
})()

/**
 * hls.js tuned for a live stream of 1 s segments without LL-HLS parts: start close to the live edge and speed
 * up a little to get back to it after a stall.
 */
export const LOW_LATENCY_HLS_CONFIG = {
  liveSyncDuration: 1.5,
  liveMaxLatencyDuration: 6,
  maxLiveSyncPlaybackRate: 1.5,
  backBufferLength: 10,
  lowLatencyMode: true
} as const

export interface ViewerStats {
  readonly currentTime: number
  readonly errors: ReadonlyArray<string>
  readonly ended: boolean
  /** Latencies (ms) read from the clock pattern, one per decoded frame, when the stream shows the clock. */
  readonly clockLatencies: ReadonlyArray<number>
  readonly videoWidth: number
}

/** A page playing `hlsUrl` with hls.js (served to the page from node_modules). */
export const openViewer = async (
  browser: Browser,
  siteOrigin: string,
  hlsUrl: string,
  options: { readonly readClock?: boolean; readonly hlsConfig?: Record<string, unknown> } = {}
): Promise<Page> => {
  const page = await openBlankSitePage(browser, siteOrigin)
  await page.evaluate(hlsJsSource())
  await page.evaluate(({ hlsUrl, config, readClock, clock }) => {
    const video = document.createElement("video")
    video.muted = true
    video.autoplay = true
    video.playsInline = true
    document.body.append(video)
    const state = { errors: [] as Array<string>, clockLatencies: [] as Array<number> }
    ;(window as any).__viewer = { video, state }
    const Hls = (window as any).Hls
    const hls = new Hls(config)
    ;(window as any).__viewer.hls = hls
    hls.on(Hls.Events.ERROR, (_: unknown, data: { fatal: boolean; details: string }) => {
      if (data.fatal) state.errors.push(data.details)
    })
    hls.loadSource(hlsUrl)
    hls.attachMedia(video)
    void video.play().catch(() => {})
    if (readClock) {
      const canvas = document.createElement("canvas")
      const g = canvas.getContext("2d", { willReadFrequently: true })!
      const onFrame = () => {
        const now = Date.now()
        if (video.videoWidth > 0) {
          canvas.width = video.videoWidth
          canvas.height = video.videoHeight
          g.drawImage(video, 0, 0)
          let value = 0
          let valid = true
          for (let bit = 0; bit < clock.bits; bit++) {
            const x = clock.left + (bit % clock.columns) * clock.block + clock.block / 2
            const y = clock.top + Math.floor(bit / clock.columns) * clock.block + clock.block / 2
            const luma = g.getImageData(x, y, 1, 1).data[0]!
            if (luma > 96 && luma < 160) valid = false
            if (luma < 128) value += 2 ** bit
          }
          const latency = now - value
          // A frame caught mid-transition decodes to nonsense: keep plausible readings only.
          if (valid && latency >= 0 && latency < 60_000) state.clockLatencies.push(latency)
        }
        video.requestVideoFrameCallback(onFrame)
      }
      video.requestVideoFrameCallback(onFrame)
    }
  }, { hlsUrl, config: options.hlsConfig ?? LOW_LATENCY_HLS_CONFIG, readClock: options.readClock ?? false, clock: CLOCK })
  return page
}

export const viewerStats = (page: Page): Promise<ViewerStats> =>
  page.evaluate(() => {
    const { video, state } = (window as any).__viewer as {
      video: HTMLVideoElement
      state: { errors: Array<string>; clockLatencies: Array<number> }
    }
    return {
      currentTime: video.currentTime,
      errors: [...state.errors],
      ended: video.ended,
      clockLatencies: [...state.clockLatencies],
      videoWidth: video.videoWidth
    }
  })
