// Going live from the site, end to end: a host creates a stream, opens the studio, publishes Chromium's fake
// camera over WHIP; a viewer in another browser finds it under Live and watches it live; the host stops and
// the recording plays.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext, screenshot } from "./support/browser.ts"
import { api } from "./support/http.ts"

let hostBrowser: Browser
let viewerBrowser: Browser
beforeAll(async () => {
  hostBrowser = await launchBrowser({ camera: true })
  viewerBrowser = await launchBrowser()
})
afterAll(async () => {
  await hostBrowser?.close()
  await viewerBrowser?.close()
})

const advancing = (page: import("playwright-core").Page, seconds: number) =>
  page.evaluate(() => (document.querySelector("[data-player] video") as HTMLVideoElement).currentTime).then((start) =>
    page.waitForFunction(
      (target) => (document.querySelector("[data-player] video") as HTMLVideoElement).currentTime > target,
      start + seconds,
      { timeout: 90_000 }
    )
  )

describe("going live from the browser", () => {
  it("creates a stream, publishes the camera from the studio, is watched live, and ends as a recording", async () => {
    const host = await newContext(hostBrowser)
    const viewer = await newContext(viewerBrowser)
    try {
      // --- the host creates the stream: the key is shown once, and kept by this browser ----------------------
      const create = await host.context.newPage()
      await create.goto("/live/create")
      const title = `Studio test ${Date.now()}`
      await create.getByLabel("Title").fill(title)
      await create.getByLabel("Description").fill("From the site's end-to-end test")
      await create.getByRole("button", { name: "Create stream" }).click()
      await create.getByRole("heading", { name: "Your stream is ready" }).waitFor()
      const key = create.getByLabel("Bearer token (stream key)")
      expect(await key.getAttribute("type")).toBe("password")
      await create.getByRole("button", { name: "Show" }).click()
      expect(await key.getAttribute("type")).toBe("text")
      const streamKey = await key.inputValue()
      expect(streamKey.length).toBeGreaterThan(20)
      const whipUrl = await create.getByLabel("Server (WHIP URL)").inputValue()
      expect(whipUrl).toMatch(/\/api\/live\/[0-9a-f-]{36}\/whip$/)
      await create.getByText("Saved in this browser").waitFor()
      await screenshot(create, "go-live-created-desktop")

      await create.getByRole("link", { name: "Open the studio" }).click()
      await create.waitForURL("**/live/stream/*")
      const videoId = create.url().split("/").at(-1)!

      // --- the viewer opens the stream's page before it starts --------------------------------------------------
      const watch = await viewer.context.newPage()
      await watch.goto(`/videos/${videoId}`)
      expect(await watch.getByRole("status").textContent()).toContain("This stream hasn't started yet")

      // --- the host goes live ---------------------------------------------------------------------------------------
      const studio = create
      await studio.waitForFunction(() => (document.querySelector("[data-preview]") as HTMLVideoElement).videoWidth > 0, null, { timeout: 30_000 })
      await studio.getByRole("button", { name: "Start streaming" }).click()
      await expect.poll(() => studio.locator("[data-state-pill]").textContent(), { timeout: 60_000 }).toBe("Live")
      expect(await studio.getByRole("button", { name: "Stop streaming" }).isVisible()).toBe(true)
      await expect.poll(() => studio.locator("[data-elapsed]").textContent(), { timeout: 10_000 }).not.toBe("00:00")

      // The viewer's page notices and plays the stream live.
      await watch.waitForSelector('[data-player][data-live="true"][data-engine]', { timeout: 90_000 })
      await watch.locator("[data-player] video").evaluate((element: HTMLVideoElement) => element.play())
      await advancing(watch, 3)
      expect(await watch.locator("[data-player] [data-live-badge]").isVisible()).toBe(true)
      // The viewer's view reaches the host's studio.
      await expect.poll(() => studio.locator("[data-viewers]").textContent(), { timeout: 30_000 }).toBe("1 view")
      await screenshot(studio, "studio-live-desktop")

      // It is listed under Live now.
      const live = await viewer.context.newPage()
      await live.goto("/live")
      expect(await live.locator(`a[href="/videos/${videoId}"]`).count()).toBeGreaterThan(0)
      await live.close()

      // --- the host stops: the viewer is told, and the recording plays from the start ----------------------------
      await studio.getByRole("button", { name: "Stop streaming" }).click()
      await expect.poll(() => studio.locator("[data-state-pill]").textContent(), { timeout: 90_000 }).toBe("Ended")
      expect(await studio.getByText("The stream has ended.").isVisible()).toBe(true)
      await watch.getByText("The stream has ended.").waitFor({ timeout: 60_000 })
      await expect.poll(async () => (await api(`/api/videos/${videoId}`)).body.status, { timeout: 90_000 }).toBe("READY")

      const replay = await viewer.context.newPage()
      await replay.goto(`/videos/${videoId}`)
      await replay.waitForSelector('[data-player][data-live="false"][data-engine]', { timeout: 30_000 })
      await replay.locator("[data-player] video").evaluate((element: HTMLVideoElement) => element.play())
      await advancing(replay, 1)
      expect(host.problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
      expect(viewer.problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    } finally {
      await host.context.close()
      await viewer.context.close()
    }
  })
})
