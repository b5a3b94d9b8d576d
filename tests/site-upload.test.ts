// The upload page in a real browser against the real upload API, storage, Temporal and ffmpeg: a generated
// clip goes up through the page, is processed, and plays; a large file pauses and resumes from the parts
// storage already holds; and without JavaScript the plain form still uploads.
import { readFile } from "node:fs/promises"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, type BrowserContext, launchBrowser, newContext, type Page, screenshot, siteOrigin } from "./support/browser.ts"
import { clip, probe } from "./support/clips.ts"
import { api } from "./support/http.ts"
import { fileSize, waitForOutcome } from "./support/vod.ts"

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

const videoIdFrom = (url: string) => /\/videos\/([0-9a-f-]{36})/.exec(url)?.[1]

/** Plays the watch page's video until its clock passes `seconds`. */
const playsOnWatchPage = async (page: Page, seconds: number) => {
  const video = page.locator("[data-player] video").first()
  await video.evaluate((element: HTMLVideoElement) => element.play())
  await page.waitForFunction(
    (target) => (document.querySelector("[data-player] video") as HTMLVideoElement).currentTime > target,
    seconds,
    { timeout: 60_000 }
  )
}

const partNumberOf = (url: string) => Number(new URL(url).searchParams.get("partNumber") ?? 0)

/** The part numbers of every part PUT the context's pages send, retries included. */
const countPartPuts = (context: BrowserContext): Array<number> => {
  const parts: Array<number> = []
  context.on("request", (request) => {
    if (request.method() === "PUT" && request.url().includes("partNumber=")) parts.push(partNumberOf(request.url()))
  })
  return parts
}

/**
 * Storage gets no answer for this part until released: the connection "drops" while the part is on its way.
 * After release the held request fails and new ones go through.
 */
const holdPart = async (context: BrowserContext, partNumber: number): Promise<() => void> => {
  let holding = true
  let release = () => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  await context.route((url) => url.searchParams.get("partNumber") === String(partNumber), async (route) => {
    if (!holding) return route.continue()
    await released
    await route.abort("connectionreset").catch(() => {})
  })
  return () => {
    holding = false
    release()
  }
}

/** Resolves when storage has answered the PUT of each of these parts. */
const partsStored = (page: Page, partNumbers: ReadonlyArray<number>) =>
  Promise.all(partNumbers.map((part) =>
    page.waitForResponse((response) => response.request().method() === "PUT" && partNumberOf(response.url()) === part, { timeout: 120_000 })
  ))

describe("upload page", () => {
  it("uploads a generated clip with a byte progress bar, follows processing, and the video plays", async () => {
    const path = await clip({ seconds: 6, width: 1280, height: 720 })
    const { context, problems } = await newContext(browser)
    const page = await context.newPage()
    await page.goto("/videos/upload")

    await page.locator("#upload-file").setInputFiles(path)
    await expect.poll(() => page.locator("[data-file-name]").textContent()).toBe(path.split("/").pop())
    await page.getByLabel("Title").fill("Through the page <script>alert(1)</script>")
    await page.getByLabel("Description").fill("Uploaded by the end-to-end test.")
    await page.getByRole("button", { name: "Upload", exact: true }).click()

    // The bar reaches 100 % of the bytes, then the panel follows processing until every quality is ready.
    await page.getByRole("heading", { name: "Ready to watch" }).waitFor({ timeout: 180_000 })
    expect(await page.locator("[data-bar]").getAttribute("value")).toBe("100")
    const watch = page.getByRole("link", { name: "Watch it" })
    const videoId = videoIdFrom((await watch.getAttribute("href")) ?? "")
    expect(videoId).toBeDefined()
    await screenshot(page, "upload-ready-desktop")

    // The API agrees: READY, the announced title kept as text, a ladder made from the 720p source.
    const video = (await api(`/api/videos/${videoId}`)).body
    expect(video.status).toBe("READY")
    expect(video.title).toBe("Through the page <script>alert(1)</script>")
    expect(video.variants.map((variant: { height: number }) => variant.height).sort((a: number, b: number) => b - a)).toEqual([720, 480, 360])
    const master = await probe(video.hlsUrl)
    expect(master.streams.some((stream) => stream.codec_type === "video")).toBe(true)

    // It is in this browser's "My uploads", with its manage token.
    const owned = await page.evaluate(() => localStorage.getItem("reelbase.myUploads.v1"))
    expect(JSON.parse(owned ?? "[]").map((entry: { id: string }) => entry.id)).toContain(videoId)

    await watch.click()
    await page.waitForURL(`**/videos/${videoId}`)
    await expect.poll(() => page.locator("h1").first().textContent()).toBe("Through the page <script>alert(1)</script>")
    await playsOnWatchPage(page, 2)
    expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    await context.close()
  })

  it("sends a large file in parts, and Resume after Pause sends only the parts storage does not hold", async () => {
    // 40 MB: parts of 16 MB, so two finish while the third is held back, and the pause falls between them.
    const path = await clip({ seconds: 20, width: 640, height: 360, kbps: 16_000 })
    const size = await fileSize(path)
    expect(size).toBeGreaterThan(33 * 1024 * 1024)
    const { context } = await newContext(browser)
    const page = await context.newPage()
    const partPuts = countPartPuts(context)
    const releasePartThree = await holdPart(context, 3)

    await page.goto("/videos/upload")
    await page.locator("#upload-file").setInputFiles(path)
    await page.getByLabel("Title").fill("A large upload, paused once")
    const partsDone = partsStored(page, [1, 2])
    await page.getByRole("button", { name: "Upload", exact: true }).click()
    await partsDone

    await page.getByRole("button", { name: "Pause" }).click()
    await page.getByRole("heading", { name: "Upload paused" }).waitFor()
    await expect.poll(() => page.locator("[data-detail]").textContent()).toBe(
      `32.0 MB of ${(size / 1024 / 1024).toFixed(1)} MB stored. Resume continues from there, even after closing this page.`
    )
    await screenshot(page, "upload-paused-desktop")

    releasePartThree()
    await page.getByRole("button", { name: "Resume" }).click()
    await page.getByRole("heading", { name: /Ready to watch|Processing/ }).waitFor({ timeout: 120_000 })
    const href = await page.getByRole("link", { name: "Watch it" }).getAttribute("href")
    const videoId = videoIdFrom(href ?? "")
    const ready = await waitForOutcome(videoId!, { timeoutMs: 240_000 })
    expect(ready.status).toBe("READY")

    // Parts 1 and 2 went up once; only part 3 was sent again.
    expect(partPuts.filter((part) => part === 1)).toHaveLength(1)
    expect(partPuts.filter((part) => part === 2)).toHaveLength(1)
    expect(partPuts.filter((part) => part === 3).length).toBeGreaterThanOrEqual(2)
    expect(Number(ready.durationSeconds)).toBeCloseTo(20, 0)
    await context.close()
  })

  it("continues a large upload in a new tab after the first one closed mid-way, into the same video", async () => {
    const path = await clip({ seconds: 20, width: 640, height: 360, kbps: 16_000 })
    const { context } = await newContext(browser)
    const partPuts = countPartPuts(context)
    // Part 3 never reaches storage while the first tab is open.
    const releasePartThree = await holdPart(context, 3)

    const first = await context.newPage()
    await first.goto("/videos/upload")
    await first.locator("#upload-file").setInputFiles(path)
    await first.getByLabel("Title").fill("Finished in another tab")
    const partsDone = partsStored(first, [1, 2])
    await first.getByRole("button", { name: "Upload", exact: true }).click()
    await partsDone
    await first.close({ runBeforeUnload: false })
    releasePartThree()

    const second = await context.newPage()
    await second.goto("/videos/upload")
    await second.locator("#upload-file").setInputFiles(path)
    await expect.poll(() => second.locator("[data-resume-note]").textContent())
      .toBe("You started uploading this file before: it continues where it stopped.")
    // The title typed in the first tab comes back with the file, rather than the file's name.
    expect(await second.locator("#upload-title").inputValue()).toBe("Finished in another tab")
    await second.getByRole("button", { name: "Upload", exact: true }).click()
    await second.getByRole("heading", { name: /Ready to watch|Processing/ }).waitFor({ timeout: 120_000 })
    const videoId = videoIdFrom((await second.getByRole("link", { name: "Watch it" }).getAttribute("href")) ?? "")
    const ready = await waitForOutcome(videoId!, { timeoutMs: 240_000 })
    expect(ready).toMatchObject({ status: "READY", title: "Finished in another tab" })

    expect(partPuts.filter((part) => part === 1)).toHaveLength(1)
    expect(partPuts.filter((part) => part === 2)).toHaveLength(1)
    // One video for the file, not one per tab: My uploads lists it once.
    const owned = JSON.parse((await second.evaluate(() => localStorage.getItem("reelbase.myUploads.v1"))) ?? "[]")
    expect(owned.filter((entry: { title: string }) => entry.title === "Finished in another tab")).toHaveLength(1)
    await context.close()
  })

  it("takes a file dropped on the drop zone, and uploads it like a picked one", async () => {
    const path = await clip({ seconds: 3 })
    const bytes = (await readFile(path)).toString("base64")
    const { context, problems } = await newContext(browser)
    const page = await context.newPage()
    await page.goto("/videos/upload")
    const dropzone = page.locator("[data-dropzone]")
    // What a browser does when a file from the desktop is dragged over the zone and let go.
    const dataTransfer = await page.evaluateHandle((base64) => {
      const data = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([data], "dropped-clip.mp4", { type: "video/mp4" }))
      return transfer
    }, bytes)
    await dropzone.dispatchEvent("dragenter", { dataTransfer })
    expect(await dropzone.getAttribute("data-dragging")).toBe("")
    await dropzone.dispatchEvent("drop", { dataTransfer })
    expect(await dropzone.getAttribute("data-dragging")).toBeNull()
    await expect.poll(() => page.locator("[data-file-name]").textContent()).toBe("dropped-clip.mp4")
    expect(await page.locator("#upload-title").inputValue()).not.toBe("")

    await page.getByRole("button", { name: "Upload", exact: true }).click()
    await page.getByRole("heading", { name: "Ready to watch" }).waitFor({ timeout: 180_000 })
    const videoId = videoIdFrom((await page.getByRole("link", { name: "Watch it" }).getAttribute("href")) ?? "")
    expect((await api(`/api/videos/${videoId}`)).body).toMatchObject({ status: "READY", durationSeconds: expect.closeTo(3, 0) })
    expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    await context.close()
  })

  it("uploads through the plain form when JavaScript is off, and shows the manage token once", async () => {
    const path = await clip({ seconds: 4 })
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL: siteOrigin })
    const page = await context.newPage()
    await page.goto("/videos/upload")
    await page.locator("#upload-file").setInputFiles(path)
    await page.getByLabel("Title").fill("Sent without JavaScript")
    await page.getByLabel("Unlisted").check()
    await Promise.all([page.waitForURL("**/videos/upload"), page.getByRole("button", { name: "Upload", exact: true }).click()])

    await page.getByRole("heading", { name: "Upload received" }).waitFor()
    const token = await page.getByLabel("Manage token (shown only once)").inputValue()
    expect(token.length).toBeGreaterThan(20)
    const videoId = videoIdFrom((await page.getByRole("link", { name: "Go to the video" }).getAttribute("href")) ?? "")
    const ready = await waitForOutcome(videoId!, { timeoutMs: 240_000 })
    expect(ready).toMatchObject({ status: "READY", title: "Sent without JavaScript", visibility: "UNLISTED" })
    // The token manages it: an unlisted video's owner can rename it.
    const renamed = await api(`/api/videos/${videoId}`, { method: "PATCH", token, json: { title: "Renamed by its owner" } })
    expect(renamed.status).toBe(200)
    await context.close()
  })
})
