// "My uploads": a browser manages the videos it created with the tokens it keeps, and nobody else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, launchBrowser, newContext } from "./support/browser.ts"
import { api } from "./support/http.ts"
import { seedPlayableVideo } from "./support/media.ts"

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

/** A browser that created these videos: their tokens are in its storage, as the upload page leaves them. */
const ownerContext = async (owned: ReadonlyArray<{ id: string; title: string; manageToken: string }>) => {
  const { context, problems } = await newContext(browser)
  await context.addInitScript((entries) => {
    // Runs in every document, about:blank too, where storage is off limits.
    if (location.protocol.startsWith("http") && localStorage.getItem("reelbase.myUploads.v1") === null) {
      localStorage.setItem("reelbase.myUploads.v1", JSON.stringify(entries.map((entry) => ({
        ...entry,
        kind: "VOD",
        createdAt: new Date().toISOString()
      }))))
    }
  }, owned.map((entry) => ({ ...entry })))
  return { context, problems }
}

describe("My uploads", () => {
  it("lists this browser's videos with their state, and edits title, description and visibility", async () => {
    const first = await seedPlayableVideo({ title: "First take" })
    const second = await seedPlayableVideo({ title: "Second take" })
    const { context, problems } = await ownerContext([
      { id: second.video.id, title: "Second take", manageToken: second.manageToken },
      { id: first.video.id, title: "First take", manageToken: first.manageToken }
    ])
    const page = await context.newPage()
    await page.goto("/videos/upload#my-uploads")
    const items = page.locator("[data-my-uploads] li.owned")
    await expect.poll(() => items.locator("[data-title]").allTextContents()).toEqual(["Second take", "First take"])
    await expect.poll(() => items.first().locator("[data-status]").textContent()).toBe("Ready")

    const item = items.filter({ hasText: "First take" })
    await item.getByRole("button", { name: "Edit" }).click()
    await item.getByLabel("Title").fill("First take, trimmed")
    await item.getByLabel("Description").fill("Now with a description")
    await item.getByRole("button", { name: "Save" }).click()
    await expect.poll(() => item.locator("[data-message]").textContent()).toBe("Saved.")
    const edited = await api(`/api/videos/${first.video.id}`)
    expect(edited.body).toMatchObject({ title: "First take, trimmed", description: "Now with a description" })

    await item.getByLabel("Visibility of First take").selectOption("UNLISTED")
    await expect.poll(() => item.locator("[data-message]").textContent()).toBe("Visibility saved: Unlisted.")
    expect((await api(`/api/videos/${first.video.id}`)).body.visibility).toBe("UNLISTED")
    expect(problems.filter((problem) => problem.startsWith("page error"))).toEqual([])
    await context.close()
  })

  it("deletes a video only after a second, explicit click", async () => {
    const doomed = await seedPlayableVideo({ title: "Outtake" })
    const { context } = await ownerContext([{ id: doomed.video.id, title: "Outtake", manageToken: doomed.manageToken }])
    const page = await context.newPage()
    await page.goto("/videos/upload")
    const item = page.locator("li.owned", { hasText: "Outtake" })
    await item.getByRole("button", { name: "Delete", exact: true }).click()
    expect(await item.locator("[data-confirm-text]").textContent()).toBe("Delete “Outtake” for good? This can't be undone.")
    await item.getByRole("button", { name: "Keep it" }).click()
    expect((await api(`/api/videos/${doomed.video.id}`)).status).toBe(200)

    await item.getByRole("button", { name: "Delete", exact: true }).click()
    await item.getByRole("button", { name: "Delete for good" }).click()
    await expect.poll(() => page.locator("li.owned", { hasText: "Outtake" }).count()).toBe(0)
    expect((await api(`/api/videos/${doomed.video.id}`)).status).toBe(404)
    expect(await page.evaluate(() => localStorage.getItem("reelbase.myUploads.v1"))).toBe("[]")
    expect(await page.locator("[data-my-uploads] [data-empty]").isVisible()).toBe(true)
    await context.close()
  })

  it("says so when a kept video is gone, and a wrong token changes nothing", async () => {
    const gone = { id: "00000000-0000-4000-8000-000000000001", title: "Vanished", manageToken: "irrelevant" }
    const other = await seedPlayableVideo({ title: "Not yours" })
    const { context } = await ownerContext([gone, { id: other.video.id, title: "Not yours", manageToken: "a-wrong-token" }])
    const page = await context.newPage()
    await page.goto("/videos/upload")
    const vanished = page.locator("li.owned", { hasText: "Vanished" })
    await expect.poll(() => vanished.locator("[data-status]").textContent()).toBe("Deleted")

    const notYours = page.locator("li.owned", { hasText: "Not yours" })
    await expect.poll(() => notYours.locator("[data-status]").textContent()).toBe("Ready")
    await notYours.getByLabel("Visibility of Not yours").selectOption("PRIVATE")
    await expect.poll(() => notYours.locator("[data-message]").textContent()).toMatch(/^Not saved: /)
    expect((await api(`/api/videos/${other.video.id}`)).body.visibility).toBe("PUBLIC")
    expect(await notYours.getByLabel("Visibility of Not yours").inputValue()).toBe("PUBLIC")

    await vanished.getByRole("button", { name: "Remove from this list" }).click()
    await expect.poll(() => page.locator("li.owned", { hasText: "Vanished" }).count()).toBe(0)
    await context.close()
  })
})
