// The watch page in a real browser: hls.js (loaded only here) or the native player plays real HLS, the
// quality menu switches renditions, and the page follows a video through processing, failure and privacy.
import { Storage, StorageKeys } from "@reelbase/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext, type Page } from "./support/browser.ts"
import { seedVideo, services, sql } from "./support/db.ts"
import { seedPlayableVideo } from "./support/media.ts"

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

const video = (page: Page) => page.locator("[data-player] video.player-video").first()

/** Starts playback the way a click on the play button does, and waits until time really advances. */
const playUntil = async (page: Page, seconds: number) => {
  await video(page).evaluate((element: HTMLVideoElement) => element.play())
  await page.waitForFunction(
    (target) => (document.querySelector("[data-player] video") as HTMLVideoElement).currentTime > target,
    seconds,
    { timeout: 60_000 }
  )
}

describe("watch page player", () => {
  it("plays with hls.js, fetched only on this page, and switches quality from the menu", async () => {
    const { video: seeded } = await seedPlayableVideo({ title: "Quality switching" })
    const { context, problems } = await newContext(browser)
    const page = await context.newPage()
    const scripts: Array<string> = []
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url())
    })
    await page.goto(`/videos/${seeded.id}`)
    await page.waitForSelector('[data-player][data-engine="hls.js"]')
    await playUntil(page, 2)
    expect(scripts.some((url) => /hls\.light/.test(url))).toBe(true)

    const menu = page.getByLabel("Quality", { exact: true })
    await expect.poll(() => menu.locator("option").allTextContents()).toEqual([expect.stringMatching(/^Auto/), "360p", "240p"])
    await menu.selectOption({ label: "240p" })
    await page.waitForFunction(() => (document.querySelector("[data-player] video") as HTMLVideoElement).videoHeight === 240, null, { timeout: 30_000 })
    await menu.selectOption({ label: "360p" })
    await page.waitForFunction(() => (document.querySelector("[data-player] video") as HTMLVideoElement).videoHeight === 360, null, { timeout: 30_000 })

    expect(await page.locator("[data-player] video").first().getAttribute("poster")).toContain(`/api/media/videos/${seeded.id}/thumbnail.jpg`)
    expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    await context.close()
  })

  it("plays through the browser's own HLS when asked, without downloading hls.js", async () => {
    const { video: seeded } = await seedPlayableVideo({ title: "Native playback" })
    const { context } = await newContext(browser)
    const page = await context.newPage()
    const scripts: Array<string> = []
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url())
    })
    await page.goto(`/videos/${seeded.id}?engine=native`)
    await page.waitForSelector('[data-player][data-engine="native"]')
    await playUntil(page, 1)
    expect(scripts.filter((url) => /hls/.test(url))).toEqual([])
    expect(await page.getByLabel("Quality", { exact: true }).isHidden()).toBe(true)
    await context.close()
  })

  it("links operators to the video's workflows in the Temporal UI", async () => {
    const { video: seeded } = await seedPlayableVideo({ title: "Operator link" })
    const body = await (await fetch(`${process.env.SITE_URL}/videos/${seeded.id}`)).text()
    const href = /<a href="([^"]+)"[^>]*>this video's workflows in Temporal/.exec(body)?.[1]
    expect(href).toBeDefined()
    const url = new URL(href!.replaceAll("&amp;", "&"))
    expect(url.pathname).toBe("/namespaces/default/workflows")
    expect(url.searchParams.get("query")).toBe(`VideoId="${seeded.id}"`)
  })
})

describe("watch page states", () => {
  it("shows processing, then becomes the player by itself when the video is ready", async () => {
    const { video: seeded } = await seedVideo({ title: "Processing then ready", status: "PROCESSING" })
    const playable = await seedPlayableVideo({ title: "Donor of media", visibility: "UNLISTED" })
    const { context } = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`/videos/${seeded.id}`)
    const panel = page.getByRole("status")
    await expect.poll(() => panel.textContent()).toContain("Processing")
    expect(await page.locator("[data-player]").count()).toBe(0)

    // The transcode finishes: media in place, row READY. The page notices and reloads into the player.
    const master = await services.runPromise(Storage.use((storage) => storage.read(StorageKeys.master(playable.video.id))))
    const text = Buffer.concat(await master.toArray()).toString("utf8")
    // The donor's renditions, addressed absolutely, stand in for this video's own.
    const absolute = text.replace(/^(\d+p\/index\.m3u8)$/gm, `/api/media/videos/${playable.video.id}/$1`)
    await services.runPromise(Storage.use((storage) => storage.putBytes(StorageKeys.master(seeded.id), absolute, "application/vnd.apple.mpegurl")))
    await sql`UPDATE videos SET status = 'READY', hls_manifest_key = ${StorageKeys.master(seeded.id)} WHERE id = ${seeded.id}`

    await page.waitForSelector("[data-player][data-engine]", { timeout: 30_000 })
    await playUntil(page, 1)
    await context.close()
  })

  it("plays the early rendition while processing goes on, then says when every quality is ready", async () => {
    const { video: seeded } = await seedPlayableVideo({ title: "Early rendition", status: "PROCESSING" })
    const { context } = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`/videos/${seeded.id}`)
    await page.waitForSelector("[data-player][data-engine]")
    expect(await page.getByText("More qualities on the way").count()).toBe(1)
    await sql`UPDATE videos SET status = 'READY' WHERE id = ${seeded.id}`
    await page.getByText("All qualities are ready").waitFor({ timeout: 30_000 })
    // Nobody watching was interrupted by a reload.
    expect(await page.locator("[data-player][data-engine]").count()).toBe(1)
    await context.close()
  })

  it("explains a failed video with its reason", async () => {
    const { video: seeded } = await seedVideo({ title: "Broken", status: "FAILED" })
    await sql`UPDATE videos SET failure_reason = 'Not a video: ffprobe found no video stream' WHERE id = ${seeded.id}`
    const { context } = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`/videos/${seeded.id}`)
    const alert = page.getByRole("alert")
    expect(await alert.textContent()).toContain("This video couldn't be processed")
    expect(await alert.textContent()).toContain("Not a video: ffprobe found no video stream")
    await context.close()
  })

  it("answers 404 for unknown and malformed ids", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-video"]) {
      const response = await fetch(`${process.env.SITE_URL}/videos/${id}`)
      expect(response.status).toBe(404)
      expect(await response.text()).toContain("Video not found")
    }
  })

  it("opens a private video for its owner (token kept in this browser) and for nobody else", async () => {
    const { video: seeded, manageToken } = await seedPlayableVideo({ title: "Only mine", visibility: "PRIVATE" })

    const stranger = await newContext(browser)
    const strangerPage = await stranger.context.newPage()
    const response = await strangerPage.goto(`/videos/${seeded.id}`)
    expect(response?.status()).toBe(404)
    await strangerPage.waitForTimeout(500)
    expect(await strangerPage.locator("h1").textContent()).toBe("Video not found")
    await stranger.context.close()

    const owner = await newContext(browser)
    await owner.context.addInitScript(([id, token]) => {
      if (location.protocol.startsWith("http")) localStorage.setItem("reelbase.myUploads.v1", JSON.stringify([{ id, title: "Only mine", kind: "VOD", manageToken: token, createdAt: new Date().toISOString() }]))
    }, [seeded.id, manageToken])
    const ownerPage = await owner.context.newPage()
    await ownerPage.goto(`/videos/${seeded.id}`)
    await ownerPage.waitForSelector("[data-player][data-engine]", { timeout: 30_000 })
    expect(await ownerPage.locator("h1").textContent()).toBe("Only mine")
    expect(await ownerPage.getByText("Private", { exact: true }).count()).toBe(1)
    await playUntil(ownerPage, 1)
    await owner.context.close()
  })
})
