// A viewer watching a live stream: the stream here is real live HLS (ffmpeg in real time, segments uploaded
// before the playlist that names them, as the live ingest does), played by the watch page's player.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext, screenshot } from "./support/browser.ts"
import { seedVideo, sql } from "./support/db.ts"
import { startFakeLiveStream } from "./support/media.ts"

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

const currentTime = () => (document.querySelector("[data-player] video") as HTMLVideoElement).currentTime

describe("watching live", () => {
  it("plays live close to the edge, offers to jump back to live, and notices the end of the stream", async () => {
    const { video } = await seedVideo({ title: "Live viewer check", videoType: "LIVE", status: "PENDING" })
    const stream = await startFakeLiveStream(video.id)
    const { context, problems } = await newContext(browser)
    try {
      const page = await context.newPage()
      // The first segments take a few seconds to exist; the page waits for them by itself.
      await page.goto(`/videos/${video.id}`)
      await page.waitForSelector('[data-player][data-live="true"][data-engine="hls.js"]', { timeout: 60_000 })
      expect(await page.locator("[data-player] [data-live-badge]").isVisible()).toBe(true)

      await page.locator("[data-player] video").evaluate((element: HTMLVideoElement) => element.play())
      await page.waitForFunction((start) => (document.querySelector("[data-player] video") as HTMLVideoElement).currentTime > start + 2,
        await page.evaluate(currentTime), { timeout: 60_000 })
      await screenshot(page, "watch-live-desktop")

      // Paused, the viewer is no longer live: the page offers the way back, which resumes at the live edge.
      await page.locator("[data-player] video").evaluate((element: HTMLVideoElement) => element.pause())
      const jump = page.getByRole("button", { name: "Jump to live" })
      await jump.waitFor({ state: "visible", timeout: 10_000 })
      await page.waitForTimeout(3000)
      await jump.click()
      const behindLiveEdge = () => page.evaluate(() => {
        const element = document.querySelector("[data-player] video") as HTMLVideoElement
        return element.paused ? Number.POSITIVE_INFINITY : element.seekable.end(element.seekable.length - 1) - element.currentTime
      })
      // Two 1 s segments behind the newest, give or take the segment being fetched.
      await expect.poll(behindLiveEdge, { timeout: 20_000 }).toBeLessThan(4)
      await jump.waitFor({ state: "hidden", timeout: 20_000 })

      // The host stops: the playlist ends and the row says so; the viewer is told.
      await stream.stop()
      await sql`UPDATE videos SET status = 'READY', is_live_now = false WHERE id = ${video.id}`
      await page.getByText("The stream has ended.").waitFor({ timeout: 40_000 })
      expect(await page.locator("[data-player] [data-live-badge]").isHidden()).toBe(true)
      expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    } finally {
      await stream.stop().catch(() => {})
      await context.close()
    }
  })
})
