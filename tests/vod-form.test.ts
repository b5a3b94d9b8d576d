// The no-JavaScript upload: a multipart/form-data post streamed to storage by the API.
import { randomUUID } from "node:crypto"
import { readFile } from "node:fs/promises"
import { Storage, StorageKeys } from "@reelbase/domain"
import { afterAll, describe, expect, it } from "vitest"
import { clip } from "./support/clips.ts"
import { services, sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import { temporal, waitForOutcome } from "./support/vod.ts"

afterAll(async () => (await temporal()).close())

const post = (form: FormData, headers: Record<string, string> = {}) =>
  fetch(`${testEnv.apiUrl}/api/upload/form`, { method: "POST", body: form, headers, redirect: "manual" })

const videoFile = async (name = "form clip.mp4", type = "video/mp4") =>
  new File([await readFile(await clip({ seconds: 2, width: 320, height: 240 }))], name, { type })

const uniqueTitle = () => `form-test-${randomUUID()}`
const rowsTitled = async (title: string) => (await sql<{ id: string }>`SELECT id FROM videos WHERE title = ${title}`).length

describe("POST /api/upload/form", () => {
  it("streams the file to storage, creates the video from the fields and transcodes it", async () => {
    const title = uniqueTitle()
    const file = await videoFile()
    const form = new FormData()
    form.append("title", `  ${title}  `)
    form.append("description", "Sent without JavaScript")
    form.append("visibility", "UNLISTED")
    form.append("file", file)

    const response = await post(form)
    expect(response.status).toBe(201)
    const body = await response.json()
    expect(body).toMatchObject({ message: "Upload received; transcoding started" })
    expect(body.manageToken).toMatch(/^[\w-]{40,}$/)
    const stored = await services.runPromise(Storage.use((storage) => storage.stat(StorageKeys.original(body.videoId))))
    expect(stored._tag === "Some" && stored.value.size).toBe(file.size)

    const video = await waitForOutcome(body.videoId)
    expect(video).toMatchObject({ status: "READY", title, description: "Sent without JavaScript", visibility: "UNLISTED", failureReason: null })
    const [row] = await sql<{ originalSize: bigint }>`SELECT original_size FROM videos WHERE id = ${body.videoId}`
    expect(row!.originalSize).toBe(BigInt(file.size))
  })

  it("redirects a browser (Accept: text/html) to the video's page on the site, and reads fields sent after the file", async () => {
    const title = uniqueTitle()
    const form = new FormData()
    form.append("file", await videoFile("holiday.mp4"))
    form.append("title", title)
    const response = await post(form, { accept: "text/html,application/xhtml+xml" })
    expect(response.status).toBe(303)
    const location = response.headers.get("location")!
    expect(location).toMatch(new RegExp(`^${process.env.SITE_ORIGIN}/videos/[0-9a-f-]{36}$`))
    const videoId = location.split("/").pop()!
    expect((await api(`/api/videos/${videoId}`)).body.title).toBe(title)
  })

  it("takes the title from the file name when the form has none", async () => {
    const form = new FormData()
    form.append("file", await videoFile("Summer 2024.mp4"))
    const body = await (await post(form)).json()
    expect((await api(`/api/videos/${body.videoId}`)).body.title).toBe("Summer 2024")
  })

  it("refuses bad forms with a 400 naming the problem and keeps nothing", async () => {
    const cases: Array<[string, (title: string) => Promise<FormData>, RegExp]> = [
      ["not a video", async (title) => {
        const form = new FormData()
        form.append("title", title)
        form.append("file", new File(["just text"], "notes.txt", { type: "text/plain" }))
        return form
      }, /The file is text\/plain, not a video/],
      ["no file", async (title) => {
        const form = new FormData()
        form.append("title", title)
        return form
      }, /The form has no "file" field/],
      ["empty file", async (title) => {
        const form = new FormData()
        form.append("title", title)
        form.append("file", new File([], "empty.mp4", { type: "video/mp4" }))
        return form
      }, /The file is empty/],
      ["bad visibility", async (title) => {
        const form = new FormData()
        form.append("title", title)
        form.append("visibility", "SECRET")
        form.append("file", await videoFile())
        return form
      }, /visibility must be one of PUBLIC, UNLISTED, PRIVATE/],
      ["bad visibility after the file", async (title) => {
        const form = new FormData()
        form.append("title", title)
        form.append("file", await videoFile())
        form.append("visibility", "SECRET")
        return form
      }, /visibility must be one of/],
      ["path as file name", async (title) => {
        const form = new FormData()
        form.append("title", title)
        form.append("file", await videoFile("../../etc/x.mp4"))
        return form
      }, /not a path/],
      ["two files", async (title) => {
        const form = new FormData()
        form.append("title", title)
        form.append("file", await videoFile())
        form.append("file", await videoFile())
        return form
      }, /one file per upload/]
    ]
    for (const [name, build, message] of cases) {
      const title = uniqueTitle()
      const response = await post(await build(title))
      expect(response.status, name).toBe(400)
      expect((await response.json()).message, name).toMatch(message)
      expect(await rowsTitled(title), name).toBe(0)
    }
  })

  it("is documented in the OpenAPI contract", async () => {
    const openapi = (await api("/api/openapi.json")).body
    const form = openapi.paths["/api/upload/form"].post
    expect(Object.keys(form.requestBody.content)).toEqual(["multipart/form-data"])
    expect(Object.keys(form.responses)).toEqual(expect.arrayContaining(["201", "303", "400", "413"]))
    for (const path of ["/api/upload/presign", "/api/upload/multipart", "/api/upload/{videoId}/complete", "/api/upload/{videoId}/multipart/parts"]) {
      expect(openapi.paths[path], path).toBeDefined()
    }
  })
})
