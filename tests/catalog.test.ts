import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"
import { seedVideo, sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"

/** A word no other test uses, so catalog queries see only this test's videos. */
const uniqueWord = () => `w${randomUUID().replaceAll("-", "").slice(0, 12)}`

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id)

describe("GET /api/videos", () => {
  it("lists public watchable videos newest first, with search", async () => {
    const word = uniqueWord()
    const older = await seedVideo({ title: `Older ${word}` })
    const newer = await seedVideo({ title: `Newer ${word}` })
    await seedVideo({ title: `Unlisted ${word}`, visibility: "UNLISTED" })
    await seedVideo({ title: `Private ${word}`, visibility: "PRIVATE" })
    await seedVideo({ title: `Pending ${word}`, status: "PENDING" })

    const { status, body } = await api(`/api/videos?q=${word}`)
    expect(status).toBe(200)
    expect(ids(body)).toEqual([newer.video.id, older.video.id])
    expect(body.nextCursor).toBeNull()
    expect(body.items[0]).toMatchObject({ title: `Newer ${word}`, status: "READY", visibility: "PUBLIC", videoType: "VOD" })
    expect(body.items[0]).not.toHaveProperty("manageTokenHash")
  })

  it("searches the description as well as the title", async () => {
    const word = uniqueWord()
    const match = await seedVideo({ title: "Sunset over the bay", description: `filmed with ${word}` })
    const { body } = await api(`/api/videos?q=${encodeURIComponent(word)}`)
    expect(ids(body)).toEqual([match.video.id])
  })

  it("pages with a cursor until every item was seen once", async () => {
    const word = uniqueWord()
    const seeded = []
    for (let i = 0; i < 5; i++) seeded.push((await seedVideo({ title: `Page ${i} ${word}` })).video)
    const seen: Array<string> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = `/api/videos?q=${word}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`
      const { body } = await api(query)
      expect(body.items.length).toBeLessThanOrEqual(2)
      seen.push(...ids(body))
      cursor = body.nextCursor
      pages++
    } while (cursor !== null)
    expect(pages).toBe(3)
    const expected = [...seeded]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((v) => v.id)
    expect(seen).toEqual(expected)
  })

  it("filters by type, status and live", async () => {
    const word = uniqueWord()
    const vod = await seedVideo({ title: `Vod ${word}` })
    const live = await seedVideo({ title: `Live ${word}`, videoType: "LIVE", status: "LIVE" })
    await sql`UPDATE videos SET is_live_now = true WHERE id = ${live.video.id}`
    const failed = await seedVideo({ title: `Failed ${word}`, status: "FAILED" })

    expect(ids((await api(`/api/videos?q=${word}&type=VOD`)).body)).toEqual([vod.video.id])
    expect(ids((await api(`/api/videos?q=${word}&type=LIVE`)).body)).toEqual([live.video.id])
    expect(ids((await api(`/api/videos?q=${word}&live=true`)).body)).toEqual([live.video.id])
    expect(ids((await api(`/api/videos?q=${word}&status=FAILED`)).body)).toEqual([failed.video.id])
  })

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["type=SHORT", "type"],
    ["status=DONE", "status"],
    ["live=yes", "live"],
    ["cursor=bm9wZQ", "cursor"]
  ])("rejects %s with a 400 naming %s", async (query, field) => {
    const { status, body } = await api(`/api/videos?${query}`)
    expect(status).toBe(400)
    expect(body._tag).toBe("BadRequest")
    expect(body.message).toContain(field)
  })
})

describe("GET /api/videos/:id", () => {
  it("returns a video with its variants", async () => {
    const { video } = await seedVideo({ title: "Detail" })
    await sql`INSERT INTO video_variants (video_id, resolution, width, height, bitrate, codec, storage_key, size_bytes)
      VALUES (${video.id}, '720p', 1280, 720, 2800000, 'avc1.64001f,mp4a.40.2', ${`videos/${video.id}/720p/index.m3u8`}, 1234)`
    const { status, body } = await api(`/api/videos/${video.id}`)
    expect(status).toBe(200)
    expect(body).toMatchObject({
      id: video.id,
      title: "Detail",
      variants: [{ resolution: "720p", width: 1280, height: 720, bitrate: 2800000, sizeBytes: 1234 }],
      progress: null
    })
    expect(body.workflowsUrl).toContain(encodeURIComponent(`VideoId="${video.id}"`))
  })

  it("answers 404 with a JSON error for an unknown id, 400 for a malformed one", async () => {
    const missing = await api(`/api/videos/${randomUUID()}`)
    expect(missing.status).toBe(404)
    expect(missing.body._tag).toBe("VideoNotFound")
    const malformed = await api("/api/videos/not-an-id")
    expect(malformed.status).toBe(400)
    expect(malformed.body.message).toContain("id")
  })

  it("plays unlisted videos by link, hides private ones without their token", async () => {
    const unlisted = await seedVideo({ visibility: "UNLISTED" })
    expect((await api(`/api/videos/${unlisted.video.id}`)).status).toBe(200)

    const priv = await seedVideo({ visibility: "PRIVATE" })
    expect((await api(`/api/videos/${priv.video.id}`)).status).toBe(404)
    expect((await api(`/api/videos/${priv.video.id}`, { token: "wrong" })).status).toBe(404)
    expect((await api(`/api/videos/${priv.video.id}`, { token: priv.manageToken })).status).toBe(200)
    expect((await api(`/api/videos/${priv.video.id}`, { token: testEnv.adminToken })).status).toBe(200)
  })
})

describe("PATCH /api/videos/:id", () => {
  it("changes title, description and visibility with the manage token", async () => {
    const { video, manageToken } = await seedVideo({ title: "Before" })
    const { status, body } = await api(`/api/videos/${video.id}`, {
      method: "PATCH",
      token: manageToken,
      json: { title: "After", description: "Now described", visibility: "UNLISTED" }
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ title: "After", description: "Now described", visibility: "UNLISTED" })
    const [row] = await sql<{ title: string; visibility: string }>`SELECT title, visibility FROM videos WHERE id = ${video.id}`
    expect(row).toEqual({ title: "After", visibility: "UNLISTED" })
  })

  it("needs a token, and the right one; a refused change changes nothing", async () => {
    const { video } = await seedVideo({ title: "Untouched" })
    const anonymous = await api(`/api/videos/${video.id}`, { method: "PATCH", json: { title: "Hacked" } })
    expect(anonymous.status).toBe(401)
    const wrong = await api(`/api/videos/${video.id}`, { method: "PATCH", token: "wrong", json: { title: "Hacked" } })
    expect(wrong.status).toBe(403)
    const admin = await api(`/api/videos/${video.id}`, { method: "PATCH", token: testEnv.adminToken, json: { description: "by ops" } })
    expect(admin.status).toBe(200)
    const [row] = await sql<{ title: string }>`SELECT title FROM videos WHERE id = ${video.id}`
    expect(row?.title).toBe("Untouched")
  })

  it.each([
    ["title (empty)", { title: "" }, "title"],
    ["title (a number)", { title: 42 }, "title"],
    ["title (too long)", { title: "x".repeat(201) }, "title"],
    ["visibility", { visibility: "SECRET" }, "visibility"],
    ["description (too long)", { description: "x".repeat(5001) }, "description"]
  ])("rejects a bad %s with a 400 naming the field and changes nothing", async (_, payload, field) => {
    const { video, manageToken } = await seedVideo({ title: "Stays" })
    const { status, body } = await api(`/api/videos/${video.id}`, { method: "PATCH", token: manageToken, json: payload })
    expect(status).toBe(400)
    expect(body.message).toContain(field)
    const [row] = await sql<{ title: string }>`SELECT title FROM videos WHERE id = ${video.id}`
    expect(row?.title).toBe("Stays")
  })

  it("rejects a body that is not JSON", async () => {
    const { video, manageToken } = await seedVideo()
    const response = await fetch(`${testEnv.apiUrl}/api/videos/${video.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${manageToken}`, "content-type": "application/json" },
      body: "{not json"
    })
    expect(response.status).toBe(400)
    expect((await response.json()).message).toMatch(/JSON/)
  })
})
