// `npm run bench:live`: glass-to-glass latency of a live stream, measured, not guessed.
// Headless Chromium publishes a canvas that shows the wall clock as black and white blocks over WHIP; a second
// Chromium plays the live playlist with hls.js (the low-latency settings in tests/support/livePages.ts), reads
// the clock back from every decoded frame and subtracts it from its own clock (same machine, same clock).
// Prints p50/p95 over --seconds (default 60) and the time from the WHIP 201 to a playable playlist.
// Brings up its own stack (the test profile shifted by 50 ports, own data folder) unless API_URL and SITE_URL
// point at a running one (`source .data/test-env.sh`). Figures, not assertions: on a shared machine they move.
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { chromium } from "playwright-core"
import { LOW_LATENCY_HLS_CONFIG, openPublisher, openViewer, publish, viewerStats } from "../tests/support/livePages.ts"
import { appEnv, type Profile, ROOT, testProfile } from "./lib/Profile.ts"
import { bringUp } from "./lib/Services.ts"
import { Supervisor } from "./lib/Supervisor.ts"

const flag = (name: string, fallback: number): number => {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  return given === undefined ? fallback : Number(given.split("=")[1])
}
const SECONDS = flag("seconds", 60)
const TARGET_P50_MS = 4000

/** The test profile, shifted by 50 ports and with its own data folder, so it runs beside a test stack. */
const benchProfile = (): Profile => {
  const base = testProfile()
  const ports = Object.fromEntries(Object.entries(base.ports).map(([name, port]) => [name, port + 50])) as Profile["ports"]
  return { ...base, dataDir: join(ROOT, ".data", "bench-live"), ports }
}

const supervisor = new Supervisor()
const say = (line: string) => supervisor.log("bench", line, 1)
const ownStack = process.env.API_URL === undefined || process.env.SITE_URL === undefined
const profile = benchProfile()

const finish = async (code: number) => {
  if (ownStack) {
    await supervisor.stopAll()
    rmSync(profile.dataDir, { recursive: true, force: true })
  }
  process.exit(code)
}
process.on("SIGINT", () => void finish(130))

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

const main = async () => {
  let apiUrl: string
  let siteOrigin: string
  if (ownStack) {
    rmSync(profile.dataDir, { recursive: true, force: true })
    mkdirSync(profile.dataDir, { recursive: true })
    supervisor.onUnexpectedExit = (name, code) => {
      say(`${name} exited unexpectedly (code ${code})`)
      void finish(1)
    }
    say("bringing up a stack of its own")
    await bringUp(profile, supervisor, { say })
    const env = appEnv(profile)
    apiUrl = env.PUBLIC_API_URL!
    siteOrigin = env.SITE_ORIGIN!
  } else {
    apiUrl = process.env.PUBLIC_API_URL ?? process.env.API_URL!
    siteOrigin = process.env.SITE_ORIGIN ?? process.env.SITE_URL!
  }

  const launch = () =>
    chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
    })
  // Two browsers: the viewer's decoding must not share a renderer (or its throttling) with the publisher.
  const [publisherBrowser, viewerBrowser] = await Promise.all([launch(), launch()])
  try {
    const created = await fetch(`${apiUrl}/api/live/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "bench:live clock" })
    })
    const stream = (await created.json()) as { videoId: string; streamKey: string; whipUrl: string }
    const publisher = await openPublisher(publisherBrowser, siteOrigin, { source: "clock", audio: false, width: 640, height: 360 })
    const published = await publish(publisher, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })
    const answeredAt = Date.now()
    if (published.status !== 201) throw new Error(`WHIP answered ${published.status}: ${published.body}`)
    say(`WHIP 201 in ${Math.round(published.answerMs)} ms`)

    const playlistUrl = `${apiUrl}/api/media/live/${stream.videoId}/index.m3u8`
    let playableMs: number | undefined
    while (playableMs === undefined) {
      const response = await fetch(playlistUrl)
      if (response.ok && (await response.text()).includes(".ts")) playableMs = Date.now() - answeredAt
      else await new Promise((resolve) => setTimeout(resolve, 50))
      if (Date.now() - answeredAt > 60_000) throw new Error("no playable playlist within 60 s of the WHIP 201")
    }
    say(`playable playlist ${playableMs} ms after the 201`)

    const viewer = await openViewer(viewerBrowser, siteOrigin, playlistUrl, { readClock: true })
    const firstFrameDeadline = Date.now() + 60_000
    while ((await viewerStats(viewer)).clockLatencies.length === 0) {
      if (Date.now() > firstFrameDeadline) throw new Error(`the viewer decoded no clock within 60 s: ${JSON.stringify(await viewerStats(viewer))}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const firstFrameMs = Date.now() - answeredAt
    const skip = (await viewerStats(viewer)).clockLatencies.length
    say(`first decoded frame ${firstFrameMs} ms after the 201; measuring for ${SECONDS} s`)
    for (let second = 1; second <= SECONDS; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      if (second % 15 === 0) {
        const latest = (await viewerStats(viewer)).clockLatencies.slice(-30)
        say(`${second} s: recent latency ${latest.length === 0 ? "n/a" : `${Math.round(latest.reduce((a, b) => a + b, 0) / latest.length)} ms`}`)
      }
    }
    const stats = await viewerStats(viewer)
    const samples = stats.clockLatencies.slice(skip)
    const sorted = [...samples].sort((a, b) => a - b)
    if (sorted.length === 0) throw new Error("no frames decoded during the measurement")
    const p50 = percentile(sorted, 50)
    const p95 = percentile(sorted, 95)

    const stopStarted = Date.now()
    const stopped = await publisher.evaluate(async ({ url, key }) => (await fetch(url, { method: "DELETE", headers: { authorization: `Bearer ${key}` } })).status, {
      url: new URL(published.location!, stream.whipUrl).toString(),
      key: stream.streamKey
    })
    const sealMs = Date.now() - stopStarted

    const rows: Array<[string, string]> = [
      ["glass-to-glass p50", `${p50} ms  (target ≤ ${TARGET_P50_MS} ms: ${(p50 / TARGET_P50_MS).toFixed(2)}× the target)`],
      ["glass-to-glass p95", `${p95} ms`],
      ["glass-to-glass min / max", `${sorted[0]} / ${sorted.at(-1)} ms`],
      ["frames measured", `${sorted.length} over ${SECONDS} s (${(sorted.length / SECONDS).toFixed(1)} fps decoded)`],
      ["WHIP POST → 201", `${Math.round(published.answerMs)} ms`],
      ["WHIP 201 → playable playlist", `${playableMs} ms`],
      ["WHIP 201 → first frame on screen", `${firstFrameMs} ms`],
      ["DELETE → recording sealed", `${sealMs} ms (status ${stopped})`],
      ["player errors", stats.errors.length === 0 ? "none" : stats.errors.join(", ")],
      ["hls.js settings", JSON.stringify(LOW_LATENCY_HLS_CONFIG)]
    ]
    say("results (a shared 2-core machine: re-measure on a quiet one before quoting):")
    for (const [name, value] of rows) say(`  ${name.padEnd(34)} ${value}`)
  } finally {
    await Promise.all([publisherBrowser.close(), viewerBrowser.close()])
  }
}

main().then(
  () => finish(0),
  (error) => {
    say(`failed: ${error instanceof Error ? error.stack : String(error)}`)
    void finish(1)
  }
)
