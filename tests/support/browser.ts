// A real browser for end-to-end tests: Debian's Chromium driven by playwright-core (Playwright's own
// browser download cannot work on these machines).
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"
import { testEnv } from "./env.ts"

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** Flags for a root user on a closed network; each launch gets a fresh temporary profile. */
const BASE_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage"
]

/** Chromium's built-in fake camera (a test pattern with a beep) and automatic permission grants. */
const CAMERA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]

export const launchBrowser = (options: { camera?: boolean } = {}): Promise<Browser> =>
  chromium.launch({
    executablePath,
    headless: true,
    args: [...BASE_ARGS, ...(options.camera ? CAMERA_ARGS : [])]
  })

/**
 * The site as browsers reach it: its configured origin (the API's CORS and the store's CORS allow exactly
 * that origin), not the 127.0.0.1 address tests use for plain HTTP.
 */
export const siteOrigin = (process.env.SITE_ORIGIN ?? testEnv.siteUrl).replace(/\/$/, "")

export const PHONE = { width: 390, height: 844 } as const
export const DESKTOP = { width: 1366, height: 900 } as const

/** A fresh context (own storage, cookies) whose pages report console errors and failed requests to `problems`. */
export const newContext = async (browser: Browser, viewport: { width: number; height: number } = DESKTOP) => {
  const context = await browser.newContext({ viewport, baseURL: siteOrigin })
  const problems: Array<string> = []
  context.on("page", (page) => watchPage(page, problems))
  return { context, problems }
}

const watchPage = (page: Page, problems: Array<string>) => {
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`))
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`)
  })
}

export const screenshotDir = join(testEnv.outputDir, "screenshots")

/** Saves a screenshot (the whole page unless told otherwise) under test-results/screenshots/ for a reviewer. */
export const screenshot = async (page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> => {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `${name}.png`)
  await page.screenshot({ path, fullPage: options.fullPage ?? true })
  return path
}

export type { Browser, BrowserContext, Page }
