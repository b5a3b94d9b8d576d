// The catalog page: what it lists (visibility rules), search, filters, paging, empty and error states,
// escaping, no JavaScript at all, and no layout shift while thumbnails load.
import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { createServer } from "node:net"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext } from "./support/browser.ts"
import { seedVideo, sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { seedPlayableVideo } from "./support/media.ts"

/** A word no other test uses, so a search shows only this test's videos. */
const uniqueWord = () => `w${randomUUID().replaceAll("-", "").slice(0, 12)}`

const html = async (path: string) => {
  const response = await fetch(`${testEnv.siteUrl}${path}`)
  return { status: response.status, body: await response.text() }
}

/** Video ids linked from the main grid (not the live row), in page order. */
const gridIds = (body: string): Array<string> => {
  const grid = body.slice(body.indexOf('aria-labelledby="catalog-heading"'))
  return [...grid.matchAll(/href="\/videos\/([0-9a-f-]{36})"/g)].map((match) => match[1]!)
}

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

describe("catalog /", () => {
  it("lists public watchable videos only; unlisted play by link, private stay hidden", async () => {
    const word = uniqueWord()
    const visible = await seedVideo({ title: `Public ${word}` })
    const unlisted = await seedVideo({ title: `Unlisted ${word}`, visibility: "UNLISTED" })
    const hidden = await seedVideo({ title: `Private ${word}`, visibility: "PRIVATE" })
    const pending = await seedVideo({ title: `Pending ${word}`, status: "PENDING" })
    const failed = await seedVideo({ title: `Failed ${word}`, status: "FAILED" })

    const { status, body } = await html(`/?q=${word}`)
    expect(status).toBe(200)
    expect(gridIds(body)).toEqual([visible.video.id])
    for (const other of [unlisted, hidden, pending, failed]) expect(body).not.toContain(other.video.id)

    expect((await html(`/videos/${unlisted.video.id}`)).status).toBe(200)
    const privatePage = await html(`/videos/${hidden.video.id}`)
    expect(privatePage.status).toBe(404)
    expect(privatePage.body).not.toContain(`Private ${word}`)
  })

  it("shows titles as text, never as markup", async () => {
    const word = uniqueWord()
    const title = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> ${word}`
    const { video } = await seedVideo({ title, description: `<b>bold?</b> <a href="javascript:alert(1)">x</a>` })

    const catalog = await html(`/?q=${word}`)
    expect(catalog.body).not.toContain("<script>window.__pwned")
    expect(catalog.body).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;")

    const { context } = await newContext(browser)
    const page = await context.newPage()
    for (const path of [`/?q=${word}`, `/videos/${video.id}`]) {
      await page.goto(path)
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    }
    expect(await page.locator("h1").textContent()).toBe(title)
    expect(await page.locator(".description").textContent()).toBe(`<b>bold?</b> <a href="javascript:alert(1)">x</a>`)
    expect(await page.locator(".description a").count()).toBe(0)
    expect(await page.title()).toBe(`${title} · Reelbase`)
    await context.close()
  })

  it("searches from the header box and filters by type", async () => {
    const word = uniqueWord()
    const vod = await seedVideo({ title: `Cooking ${word}` })
    const live = await seedVideo({ title: `Streaming ${word}`, videoType: "LIVE", status: "LIVE" })
    await sql`UPDATE videos SET is_live_now = true WHERE id = ${live.video.id}`

    const { context } = await newContext(browser)
    const page = await context.newPage()
    await page.goto("/")
    await page.getByRole("searchbox", { name: "Search videos" }).fill(word)
    await page.keyboard.press("Enter")
    await page.waitForURL(`**/?q=${word}`)
    expect(await page.locator("h1").textContent()).toBe(`Results for “${word}”`)
    expect(await page.getByRole("searchbox", { name: "Search videos" }).inputValue()).toBe(word)
    expect(gridIds(await page.content()).sort()).toEqual([vod.video.id, live.video.id].sort())

    await page.getByRole("navigation", { name: "Filter by type" }).getByRole("link", { name: "Live" }).click()
    await page.waitForURL(`**/?q=${word}&type=LIVE`)
    expect(gridIds(await page.content())).toEqual([live.video.id])
    expect(await page.locator(`a[href="/videos/${live.video.id}"] .badge-live`).count()).toBe(1)
    expect(await page.getByRole("link", { name: "Live", exact: true }).last().getAttribute("aria-current")).toBe("page")

    await page.getByRole("navigation", { name: "Filter by type" }).getByRole("link", { name: "Videos" }).click()
    await page.waitForURL(`**/?q=${word}&type=VOD`)
    expect(gridIds(await page.content())).toEqual([vod.video.id])
    await context.close()
  })

  it("shows streams live now in their own row on the front page", async () => {
    const word = uniqueWord()
    const live = await seedVideo({ title: `On air ${word}`, videoType: "LIVE", status: "LIVE" })
    await sql`UPDATE videos SET is_live_now = true WHERE id = ${live.video.id}`
    const { body } = await html("/")
    const row = body.slice(body.indexOf('aria-labelledby="live-now-heading"'), body.indexOf('aria-labelledby="catalog-heading"'))
    expect(row).toContain(`href="/videos/${live.video.id}"`)
    expect(row).toContain("streaming now")
    // Not repeated in the grid under it.
    expect(gridIds(body)).not.toContain(live.video.id)
  })

  it("pages through results with a cursor, 24 at a time", async () => {
    const word = uniqueWord()
    const seeded = []
    for (let i = 0; i < 26; i++) seeded.push((await seedVideo({ title: `Episode ${i} ${word}` })).video.id)
    const first = await html(`/?q=${word}`)
    const firstIds = gridIds(first.body)
    expect(firstIds).toHaveLength(24)
    const next = /<a class="button" rel="next" href="([^"]+)"/.exec(first.body)?.[1]?.replaceAll("&amp;", "&")
    expect(next).toBeDefined()
    const second = await html(next!)
    const secondIds = gridIds(second.body)
    expect(secondIds).toHaveLength(2)
    expect(new Set([...firstIds, ...secondIds])).toEqual(new Set(seeded))
    expect(second.body).toContain("← First page")
    expect(second.body).not.toContain('rel="next"')
  })

  it("says so when nothing matches, and when a page link is broken", async () => {
    const none = await html(`/?q=${uniqueWord()}`)
    expect(none.status).toBe(200)
    expect(none.body).toContain("No videos match")
    expect(none.body).toContain("clear the search")

    const broken = await html("/?cursor=not-a-cursor")
    expect(broken.status).toBe(400)
    expect(broken.body).toContain("That page link no longer works")
  })

  it("ships no JavaScript, and thumbnails arriving move nothing", async () => {
    const word = uniqueWord()
    for (let i = 0; i < 3; i++) await seedPlayableVideo({ title: `Thumbnail ${i} ${word}` })
    const { body } = await html(`/?q=${word}`)
    expect(body).not.toMatch(/<script/i)

    const { context } = await newContext(browser, { width: 1280, height: 800 })
    const page = await context.newPage()
    const scripts: Array<string> = []
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url())
    })
    await page.addInitScript(() => {
      ;(window as { __shift?: number }).__shift = 0
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
          if (!entry.hadRecentInput) (window as { __shift?: number }).__shift! += entry.value
        }
      }).observe({ type: "layout-shift", buffered: true })
    })
    await page.goto(`/?q=${word}`, { waitUntil: "networkidle" })
    expect(await page.locator(".thumb img").count()).toBe(3)
    expect(await page.locator(".thumb img").evaluateAll((images) => images.every((image) => (image as HTMLImageElement).complete))).toBe(true)
    expect(await page.evaluate(() => (window as { __shift?: number }).__shift)).toBe(0)
    expect(scripts).toEqual([])
    expect(await page.locator(".thumb-duration").first().textContent()).toContain("0:08")
    await context.close()
  })
})

describe("catalog when the API is down", () => {
  it("answers 503 with a message and a way to retry", async () => {
    const freePort = () =>
      new Promise<number>((resolve) => {
        const server = createServer().listen(0, "127.0.0.1", () => {
          const { port } = server.address() as { port: number }
          server.close(() => resolve(port))
        })
      })
    const [sitePort, deadPort] = [await freePort(), await freePort()]
    // A second site process of our own, pointed at an API that is not there.
    const site = spawn(process.execPath, [join(process.cwd(), "site/dist/server/entry.mjs")], {
      env: { ...process.env, HOST: "127.0.0.1", PORT: String(sitePort), API_INTERNAL_URL: `http://127.0.0.1:${deadPort}` },
      stdio: "ignore"
    })
    try {
      let response: Response | undefined
      for (let attempt = 0; attempt < 100 && response === undefined; attempt++) {
        response = await fetch(`http://127.0.0.1:${sitePort}/`).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 200))
          return undefined
        })
      }
      expect(response?.status).toBe(503)
      const body = await response!.text()
      expect(body).toContain("Videos can&#39;t be loaded right now.</strong> The Reelbase API is unreachable.")
      expect(body).toContain("Try again")
    } finally {
      site.kill()
    }
  })
})
