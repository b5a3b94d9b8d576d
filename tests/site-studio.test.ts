// The host's studio with Chromium's fake camera: preview, devices, toggles, and what a host is told when
// the camera is refused or the stream key is missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext } from "./support/browser.ts"
import { seedVideo } from "./support/db.ts"

let camera: Browser
let noPermission: Browser
beforeAll(async () => {
  camera = await launchBrowser({ camera: true })
  // Fake devices exist, but nobody answers the permission prompt: the page gets NotAllowedError.
  noPermission = await (await import("playwright-core")).chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream"]
  })
})
afterAll(async () => {
  await camera?.close()
  await noPermission?.close()
})

const newStream = () => seedVideo({ title: "Studio check", videoType: "LIVE", status: "PENDING" })

describe("studio", () => {
  it("previews the camera mirrored, lists devices, and toggles camera and microphone", async () => {
    const { video } = await newStream()
    const { context, problems } = await newContext(camera)
    const page = await context.newPage()
    await page.goto(`/live/stream/${video.id}`)
    const preview = page.locator("[data-preview]")
    await page.waitForFunction(() => (document.querySelector("[data-preview]") as HTMLVideoElement).videoWidth > 0, null, { timeout: 30_000 })
    expect(await preview.evaluate((element) => getComputedStyle(element).transform)).toBe("matrix(-1, 0, 0, 1, 0, 0)")
    await expect.poll(() => page.getByLabel("Camera", { exact: true }).locator("option").count()).toBeGreaterThan(0)
    expect(await page.getByLabel("Camera", { exact: true }).locator("option").first().textContent()).not.toBe("Waiting for permission…")
    expect(await page.getByLabel("Microphone", { exact: true }).locator("option").count()).toBeGreaterThan(0)

    const cameraToggle = page.getByRole("button", { name: "Camera on" })
    await cameraToggle.click()
    expect(await page.getByRole("button", { name: "Camera off" }).getAttribute("aria-pressed")).toBe("false")
    expect(await page.evaluate(() => ((document.querySelector("[data-preview]") as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.enabled)).toBe(false)
    expect(await page.locator("[data-camera-off]").isVisible()).toBe(true)
    await page.getByRole("button", { name: "Mic on" }).click()
    expect(await page.evaluate(() => ((document.querySelector("[data-preview]") as HTMLVideoElement).srcObject as MediaStream).getAudioTracks()[0]!.enabled)).toBe(false)
    await page.getByRole("button", { name: "Camera off" }).click()
    expect(await page.evaluate(() => ((document.querySelector("[data-preview]") as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.enabled)).toBe(true)

    expect(await page.locator("[data-state-pill]").textContent()).toBe("Offline")
    expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    await context.close()
  })

  it("asks for the stream key when this browser does not have it", async () => {
    const { video } = await newStream()
    const { context } = await newContext(camera)
    const page = await context.newPage()
    await page.goto(`/live/stream/${video.id}`)
    await page.getByRole("button", { name: "Start streaming" }).click()
    await expect.poll(() => page.locator("[data-problem-text]").textContent()).toContain("Paste this stream's key first")
    expect(await page.getByLabel("Stream key").evaluate((element) => element === document.activeElement)).toBe(true)
    await context.close()
  })

  it("explains a refused camera in plain words and offers to try again", async () => {
    const { video } = await newStream()
    const context = await noPermission.newContext({ baseURL: (process.env.SITE_ORIGIN ?? "").replace(/\/$/, "") })
    const page = await context.newPage()
    await page.goto(`/live/stream/${video.id}`)
    const alert = page.locator("[data-problem]")
    await alert.waitFor({ state: "visible", timeout: 30_000 })
    expect(await alert.textContent()).toContain("Camera and microphone access is blocked")
    expect(await page.getByRole("button", { name: "Try again" }).isVisible()).toBe(true)

    // Allowed now (as if from the address bar): Try again brings the preview up.
    await context.grantPermissions(["camera", "microphone"])
    await page.getByRole("button", { name: "Try again" }).click()
    await page.waitForFunction(() => (document.querySelector("[data-preview]") as HTMLVideoElement).videoWidth > 0, null, { timeout: 30_000 })
    expect(await alert.isHidden()).toBe(true)
    await context.close()
  })

  it("tells a host whose stream is over where the recording is", async () => {
    const { video } = await seedVideo({ title: "Yesterday's stream", videoType: "LIVE", status: "READY" })
    const body = await (await fetch(`${process.env.SITE_URL}/live/stream/${video.id}`)).text()
    expect(body).toContain("This stream has ended.")
    expect(body).toContain(`href="/videos/${video.id}"`)
  })
})
