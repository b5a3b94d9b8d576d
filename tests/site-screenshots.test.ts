// Screenshots of the main pages at phone and desktop widths, for a reviewer to look at
// (test-results/screenshots/), and checks every page must pass at both widths: no sideways overflow,
// one h1, a label for every control, an alt for every image, a name for every button.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, DESKTOP, launchBrowser, newContext, type Page, PHONE, screenshot } from "./support/browser.ts"
import { seedVideo, sql } from "./support/db.ts"
import { api } from "./support/http.ts"
import { seedPlayableVideo } from "./support/media.ts"

let browser: Browser
const pages: Record<string, string> = {}

beforeAll(async () => {
  browser = await launchBrowser({ camera: true })
  const titles = ["Sunrise over the harbour", "Making sourdough at home", "City lights timelapse", "Trail running in the rain"]
  const videos = []
  for (const title of titles) {
    videos.push(await seedPlayableVideo({ title, description: `${title}.\nShot on a phone, edited on a laptop.` }))
  }
  // A few real views (distinct clients, so none is merged as a repeat) draw today's bar in the chart.
  for (const client of ["a", "b", "c", "d", "e"]) {
    await api(`/api/analytics/view/${videos[0]!.video.id}`, { method: "POST", headers: { "user-agent": `screenshot ${client}` } })
  }
  const live = await seedPlayableVideo({ title: "Live from the workshop", videoType: "LIVE", status: "LIVE" })
  await sql`UPDATE videos SET is_live_now = true WHERE id = ${live.video.id}`
  const processing = await seedVideo({ title: "Holiday video (processing)", status: "PROCESSING" })
  const failed = await seedVideo({ title: "Broken upload", status: "FAILED" })
  await sql`UPDATE videos SET failure_reason = 'The file is not a video ffmpeg can read (moov atom not found).' WHERE id = ${failed.video.id}`
  const studio = await seedVideo({ title: "Friday night stream", videoType: "LIVE", status: "PENDING" })
  Object.assign(pages, {
    catalog: "/",
    watch: `/videos/${videos[0]!.video.id}`,
    processing: `/videos/${processing.video.id}`,
    failed: `/videos/${failed.video.id}`,
    upload: "/videos/upload",
    live: "/live",
    "go-live": "/live/create",
    studio: `/live/stream/${studio.video.id}`
  })
})

afterAll(() => browser?.close())

/** What a screen reader or keyboard user would miss on the page; empty when nothing. */
const accessibilityGaps = (page: Page) =>
  page.evaluate(() => {
    const gaps: Array<string> = []
    const describe = (element: Element) => element.outerHTML.slice(0, 120)
    const named = (element: Element) =>
      (element.getAttribute("aria-label") ?? "").trim() !== "" || element.hasAttribute("aria-labelledby")
    if (!document.documentElement.lang) gaps.push("html has no lang")
    const headings = document.querySelectorAll("h1").length
    if (headings !== 1) gaps.push(`${headings} h1 elements`)
    for (const control of document.querySelectorAll<HTMLInputElement>("input:not([type=hidden]), select, textarea")) {
      if ((control.labels?.length ?? 0) === 0 && !named(control)) gaps.push(`unlabelled control ${describe(control)}`)
    }
    for (const image of document.querySelectorAll("img")) {
      if (!image.hasAttribute("alt")) gaps.push(`image without alt ${describe(image)}`)
    }
    for (const button of document.querySelectorAll("button, a[href]")) {
      if ((button.textContent ?? "").trim() === "" && !named(button)) gaps.push(`nameless ${describe(button)}`)
    }
    return gaps
  })

describe.each([["phone", PHONE], ["desktop", DESKTOP]] as const)("main pages at %s width", (label, viewport) => {
  it("render without sideways scrolling, and are saved as screenshots", async () => {
    const { context, problems } = await newContext(browser, viewport)
    for (const [name, path] of Object.entries(pages)) {
      const page = await context.newPage()
      const response = await page.goto(path, { waitUntil: "networkidle" })
      expect(response?.status(), `${name} answers`).toBeLessThan(400)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, `${name} fits the ${label} width`).toBeLessThanOrEqual(0)
      expect(await accessibilityGaps(page), `${name} accessibility`).toEqual([])
      // The catalog holds every other test's videos too: its first screen is what a reviewer needs.
      await screenshot(page, `${name}-${label}`, { fullPage: name !== "catalog" })
      await page.close()
    }
    // The studio's fake camera and the stats calls may log; only script errors count.
    expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    await context.close()
  })
})

describe("dark mode", () => {
  it("follows the system setting", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "dark", baseURL: (process.env.SITE_ORIGIN ?? "").replace(/\/$/, "") })
    const page = await context.newPage()
    for (const name of ["catalog", "watch", "upload"]) {
      await page.goto(pages[name]!, { waitUntil: "networkidle" })
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      expect(background, `${name} is dark`).toBe("rgb(15, 15, 19)")
      await screenshot(page, `${name}-desktop-dark`, { fullPage: name !== "catalog" })
    }
    await context.close()
  })
})

describe("keyboard", () => {
  it("reaches the content first through the skip link, and the search box next", async () => {
    const { context } = await newContext(browser, DESKTOP)
    const page = await context.newPage()
    await page.goto("/")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content")
    await page.keyboard.press("Enter")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("content")
    await page.goto("/")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("q")
    await context.close()
  })
})
