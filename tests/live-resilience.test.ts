import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, siteOrigin } from "./support/browser.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import { createStream, eventually, liveObjects, liveStatus, mediaText, temporalClient, waitForStatus } from "./support/live.ts"
import { openPublisher, publish } from "./support/livePages.ts"
import { startOwnStack } from "./support/ownStack.ts"

const run = promisify(execFile)
const ffprobe = process.env.FFPROBE_PATH ?? "ffprobe"

const candidates = (sdp: string) => sdp.split(/\r?\n/).filter((line) => line.startsWith("a=candidate:"))

let browser: Browser
const temporal = await temporalClient()

beforeAll(async () => {
  // No camera, no permission prompt: Chromium hides its host addresses behind mDNS names, as for most pages.
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await temporal.close()
})

describe("a publisher that disappears", () => {
  it("connects through mDNS-hidden candidates, and when its tab closes without DELETE the stream ends as a video", async () => {
    const stream = await createStream("Canvas, then the tab closes")
    const publisher = await openPublisher(browser, siteOrigin, { source: "canvas", width: 320, height: 180 })
    const published = await publish(publisher, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })
    expect(published.status).toBe(201)
    // Chromium offered only .local names: the server had to pair with the peer-reflexive address it learned.
    expect(candidates(published.offerSdp).length).toBeGreaterThan(0)
    for (const candidate of candidates(published.offerSdp)) expect(candidate).toMatch(/ [0-9a-f-]{36}\.local \d+ typ host/)

    await waitForStatus(stream.videoId, (status) => status.isLiveNow, "the stream to go live", 60_000)
    await eventually("a few segments", async () => {
      const objects = await liveObjects(stream.videoId)
      return objects.filter((object) => object.key.endsWith(".ts")).length >= 3 ? true : undefined
    }, 30_000)

    await publisher.context().close()
    const ended = await waitForStatus(stream.videoId, (status) => !status.isLiveNow, "the stream to end without its publisher", 90_000)
    expect(ended.status).toBe("READY")
    const recording = await mediaText(`${testEnv.apiUrl}/api/media/live/${stream.videoId}/recording.m3u8`)
    expect(recording.trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true)
    expect(await temporal.client.workflow.getHandle(`live-${stream.videoId}`).result()).toMatchObject({ outcome: "recorded" })
  })
})

describe("a publisher that never connects", () => {
  it("leaves the stream waiting for the next one once the connect timeout has passed", async () => {
    // A real browser's offer, but that browser is gone: its mDNS candidates lead nowhere.
    const offer = readFileSync(new URL("../domain/src/fixtures/chromium-offer.sdp", import.meta.url), "utf8")
    const stream = await createStream("Answered, never connected")
    const post = () =>
      fetch(`${testEnv.apiUrl}/api/live/${stream.videoId}/whip`, {
        method: "POST",
        headers: { "content-type": "application/sdp", authorization: `Bearer ${stream.streamKey}` },
        body: offer
      })
    expect((await post()).status).toBe(201)
    const handle = temporal.client.workflow.getHandle(`live-${stream.videoId}`)
    expect(await handle.query("session")).toMatchObject({ phase: "publishing" })
    expect((await post()).status).toBe(409)

    await eventually("the session to give up on the publisher", async () => {
      const view = await handle.query<{ phase: string }>("session")
      return view.phase === "waiting" ? view : undefined
    }, 90_000, 1000)
    expect(await liveStatus(stream.videoId)).toMatchObject({ status: "PENDING", isLiveNow: false, hlsUrl: null })
    const next = await post()
    expect(next.status).toBe(201)
    expect((await api(`/api/live/${stream.videoId}/stop`, { method: "POST", token: stream.manageToken })).body).toMatchObject({ status: "PENDING" })
  })
})

describe("a browser that sends VP8", () => {
  it("is re-encoded to H.264 so every HLS player can play it", async () => {
    const stream = await createStream("VP8 canvas")
    const publisher = await openPublisher(browser, siteOrigin, { source: "canvas", videoCodec: "VP8", audio: false, width: 320, height: 180 })
    const published = await publish(publisher, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })
    expect(published.status).toBe(201)
    expect(published.body).toMatch(/a=rtpmap:\d+ VP8\/90000/)
    expect(published.body).not.toContain("H264")
    await waitForStatus(stream.videoId, (status) => status.isLiveNow, "the VP8 stream to go live", 60_000)
    const segment = await eventually("a stored segment", async () =>
      (await liveObjects(stream.videoId)).find((object) => object.key.endsWith(".ts")), 30_000)
    const { stdout } = await run(ffprobe, ["-v", "error", "-show_entries", "stream=codec_name", "-of", "json", `${testEnv.apiUrl}/api/media/${segment.key}`])
    expect((JSON.parse(stdout) as { streams: Array<{ codec_name: string }> }).streams.map((s) => s.codec_name)).toEqual(["h264"])
    expect((await api(`/api/live/${stream.videoId}/stop`, { method: "POST", token: stream.manageToken })).body).toMatchObject({ status: "READY" })
  })
})

describe("deleting a stream while it is live", () => {
  it("ends the session before purging, so no segment comes back", async () => {
    const stream = await createStream("Deleted mid-stream")
    const publisher = await openPublisher(browser, siteOrigin, { source: "canvas", audio: false, width: 320, height: 180 })
    expect((await publish(publisher, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })).status).toBe(201)
    await waitForStatus(stream.videoId, (status) => status.isLiveNow, "the stream to go live", 60_000)

    expect((await api(`/api/videos/${stream.videoId}`, { method: "DELETE", token: stream.manageToken })).status).toBe(204)
    await temporal.client.workflow.getHandle(`delete-${stream.videoId}`).result()
    const live = await temporal.client.workflow.getHandle(`live-${stream.videoId}`).describe()
    expect(live.status.name).toBe("CANCELLED")
    expect(await liveObjects(stream.videoId)).toEqual([])
    // The publisher is still sending: nothing may be written after the purge.
    await new Promise((resolve) => setTimeout(resolve, 4000))
    expect(await liveObjects(stream.videoId)).toEqual([])
    await publisher.context().close()
  })
})

describe("the worker holding a live session dies", () => {
  it("ends the session cleanly on another worker: the stream stops being live and what was recorded is kept", async () => {
    // ICE ports from a configured range (below the OS's ephemeral range), as a firewall or NAT would need.
    const offset = Number(process.env.TEST_PORT_OFFSET ?? 0)
    const portMin = 31_000 + (offset / 100) * 50
    const own = await startOwnStack({
      workers: 2,
      workerEnv: { LIVE_ICE_PORT_MIN: String(portMin), LIVE_ICE_PORT_MAX: String(portMin + 49) }
    })
    try {
      const stream = await createStream("The worker dies", own.apiUrl)
      const publisher = await openPublisher(browser, siteOrigin, { source: "canvas", audio: false, width: 320, height: 180 })
      const published = await publish(publisher, { url: stream.whipUrl, streamKey: stream.streamKey, protocol: "whip" })
      expect(published.status).toBe(201)
      for (const candidate of candidates(published.body)) {
        const port = Number(candidate.split(" ")[5])
        expect(port).toBeGreaterThanOrEqual(portMin)
        expect(port).toBeLessThanOrEqual(portMin + 49)
      }
      await waitForStatus(stream.videoId, (status) => status.isLiveNow, "the stream to go live", 60_000, own.apiUrl)
      await eventually("a few segments", async () => {
        const objects = await liveObjects(stream.videoId)
        return objects.filter((object) => object.key.endsWith(".ts")).length >= 3 ? true : undefined
      }, 30_000)

      const handle = temporal.client.workflow.getHandle(`live-${stream.videoId}`)
      const view = await handle.query<{ hostQueue: string }>("session")
      const holder = own.workers.find((worker) => worker.liveHostQueue === view.hostQueue)
      expect(holder).toBeDefined()
      holder!.killHard()

      const ended = await waitForStatus(stream.videoId, (status) => !status.isLiveNow, "the session to end after its worker died", 120_000, own.apiUrl)
      expect(ended.status).toBe("READY")
      const result = await handle.result()
      expect(result).toMatchObject({ outcome: "recorded" })
      expect((result as { segments: number }).segments).toBeGreaterThanOrEqual(3)
      const recording = await mediaText(`${own.apiUrl}/api/media/live/${stream.videoId}/recording.m3u8`)
      expect(recording.trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true)
      // Viewers left on the live playlist learn it is over, although ffmpeg died before it could say so.
      expect((await mediaText(`${own.apiUrl}/api/media/live/${stream.videoId}/index.m3u8`)).trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true)
      await publisher.context().close()
      expect((await liveStatus(stream.videoId, own.apiUrl)).isLiveNow).toBe(false)
    } finally {
      await own.stop()
    }
  })
})
