// Views on the watch page: one view per page view when playback starts, the stats panel and the 30-day chart
// showing what the API counted, and the panel refreshing by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext, type Page } from "./support/browser.ts"
import { api } from "./support/http.ts"
import { seedPlayableVideo } from "./support/media.ts"

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

const stat = (page: Page, name: "viewsToday" | "viewsMonth" | "viewsTotal") => page.locator(`[data-stat="${name}"]`).textContent()

/** A view from a distinct client, so the API's repeat-view window does not merge them. */
const viewFrom = (videoId: string, client: string) =>
  api(`/api/analytics/view/${videoId}`, { method: "POST", headers: { "user-agent": `site-test ${client}` } })

describe("views on the watch page", () => {
  it("counts one view when playback starts, however often it is paused and played", async () => {
    const { video } = await seedPlayableVideo({ title: "Counted once" })
    const { context } = await newContext(browser)
    const page = await context.newPage()
    const viewPosts: Array<string> = []
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().includes("/api/analytics/view/")) viewPosts.push(request.url())
    })
    await page.goto(`/videos/${video.id}`)
    await page.waitForSelector("[data-player][data-engine]")
    expect(await stat(page, "viewsTotal")).toBe("0")

    const player = page.locator("[data-player] video")
    await player.evaluate((element: HTMLVideoElement) => element.play())
    // The panel updates at once after the page's own view was recorded.
    await expect.poll(() => stat(page, "viewsTotal"), { timeout: 30_000 }).toBe("1")
    expect(await stat(page, "viewsToday")).toBe("1")
    expect(await stat(page, "viewsMonth")).toBe("1")
    await expect.poll(() => page.locator("[data-chart]").isVisible()).toBe(true)
    expect(await page.locator(".chart-bar-today title").textContent()).toMatch(/: 1 view$/)

    await player.evaluate((element: HTMLVideoElement) => element.pause())
    await player.evaluate(async (element: HTMLVideoElement) => {
      element.currentTime = 0
      await element.play()
    })
    await page.waitForTimeout(2000)
    expect(viewPosts).toHaveLength(1)
    expect((await api(`/api/analytics/stats/${video.id}`)).body.viewsTotal).toBe(1)
    await context.close()
  })

  it("renders the counts and the 30-day chart on the server, and refreshes them every 30 seconds", async () => {
    const { video } = await seedPlayableVideo({ title: "Charted" })
    for (const client of ["a", "b", "c"]) expect((await viewFrom(video.id, client)).status).toBe(200)

    const html = await (await fetch(`${process.env.SITE_URL}/videos/${video.id}`)).text()
    expect(html).toContain('data-stat="viewsTotal"')
    expect(html).toMatch(/data-stat="viewsTotal"[^>]*>3</)
    expect(html).toContain("3 views in the last 30 days, at most 3 on one day.")
    expect(html.match(/<rect class="chart-bar/g)).toHaveLength(30)

    const { context } = await newContext(browser)
    const page = await context.newPage()
    // Only views from elsewhere here: should the browser let this page autoplay, its own view stays out.
    await page.route("**/api/analytics/view/**", (route) => route.abort())
    await page.goto(`/videos/${video.id}`)
    expect(await stat(page, "viewsTotal")).toBe("3")
    await viewFrom(video.id, "d")
    await expect.poll(() => stat(page, "viewsTotal"), { timeout: 45_000, interval: 1000 }).toBe("4")
    expect(await page.locator("[data-chart-plot]").getAttribute("aria-label")).toBe("4 views in the last 30 days, at most 4 on one day.")
    await context.close()
  })
})
