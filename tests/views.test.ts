import { randomUUID } from "node:crypto"
import { DatabaseLayer, VideoId, ViewsRepo, type ViewToRecord } from "@reelbase/domain"
import { Effect, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedVideo, sql, withVideoRowLocked } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import { freePort, type Spawned, spawnApp } from "./support/spawned.ts"

/** A client of its own: the test stack trusts x-forwarded-for (TRUST_PROXY=true), so each ip is a new viewer. */
const viewAs = (videoId: string, ip: string, userAgent = "views-test", token?: string) =>
  api(`/api/analytics/view/${videoId}`, {
    method: "POST",
    headers: { "x-forwarded-for": ip, "user-agent": userAgent },
    ...(token === undefined ? {} : { token })
  })

const stats = async (videoId: string, token?: string) =>
  (await api(`/api/analytics/stats/${videoId}`, token === undefined ? {} : { token })).body

/** Distinct documentation-range addresses, one per index. */
const ip = (index: number) => `198.51.${Math.floor(index / 250)}.${(index % 250) + 1}`

const todayUtc = () => new Date().toISOString().slice(0, 10)

const logCount = async (videoId: string) =>
  Number((await sql<{ count: bigint }>`SELECT count(*) FROM video_view_logs WHERE video_id = ${videoId}`)[0]!.count)

describe("POST /api/analytics/view/:videoId", () => {
  it("logs the view with ip and user agent and bumps every counter and the day's total", async () => {
    const { video } = await seedVideo()
    const response = await viewAs(video.id, "203.0.113.7", "Mozilla/5.0 (test)")
    expect(response).toMatchObject({ status: 200, body: { success: true } })

    expect(await stats(video.id)).toEqual({ viewsToday: 1, viewsMonth: 1, viewsTotal: 1 })
    const logs = await sql<{ ip: string; userAgent: string; viewedAt: Date }>`
      SELECT ip, user_agent, viewed_at FROM video_view_logs WHERE video_id = ${video.id}`
    expect(logs).toEqual([{ ip: "203.0.113.7", userAgent: "Mozilla/5.0 (test)", viewedAt: expect.any(Date) }])
    const daily = (await api(`/api/analytics/stats/${video.id}/daily?days=1`)).body
    expect(daily).toEqual({ videoId: video.id, days: [{ date: todayUtc(), views: 1 }] })
  })

  it("counts hundreds of concurrent views exactly: none lost, none doubled", async () => {
    const videos = await Promise.all([seedVideo(), seedVideo(), seedVideo(), seedVideo()])
    const perVideo = 100
    const responses = await Promise.all(
      Array.from({ length: perVideo * videos.length }, (_, index) =>
        viewAs(videos[index % videos.length]!.video.id, ip(index)))
    )
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200))

    for (const { video } of videos) {
      expect(await stats(video.id)).toEqual({ viewsToday: perVideo, viewsMonth: perVideo, viewsTotal: perVideo })
      expect(await logCount(video.id)).toBe(perVideo)
      const [day] = await sql<{ views: bigint }>`SELECT views FROM video_views_daily WHERE video_id = ${video.id}`
      expect(Number(day!.views)).toBe(perVideo)
    }
  })

  it("counts views that all wait on the same row at once exactly", async () => {
    // Twelve requests queue behind a held row lock and go together once it is released: a read-then-write
    // counter would lose some of them here.
    const { video } = await seedVideo()
    const responses = await withVideoRowLocked(video.id, () =>
      Promise.all(Array.from({ length: 12 }, (_, index) => viewAs(video.id, ip(1000 + index)))))
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200))
    expect(await stats(video.id)).toEqual({ viewsToday: 12, viewsMonth: 12, viewsTotal: 12 })
    expect(await logCount(video.id)).toBe(12)
  })

  it("counts identical requests racing each other once", async () => {
    const { video } = await seedVideo()
    // Held back by the row lock, the duplicates are all in flight together when it goes.
    const raced = await withVideoRowLocked(video.id, () =>
      Promise.all(Array.from({ length: 10 }, () => viewAs(video.id, "203.0.113.51", "same-agent"))))
    expect(raced.every((response) => response.status === 200)).toBe(true)
    expect(await stats(video.id)).toEqual({ viewsToday: 1, viewsMonth: 1, viewsTotal: 1 })
    expect(await logCount(video.id)).toBe(1)
  })

  it("tells viewers apart by ip and by user agent", async () => {
    const { video } = await seedVideo()
    await viewAs(video.id, "203.0.113.60", "agent-a")
    await viewAs(video.id, "203.0.113.60", "agent-b")
    await viewAs(video.id, "203.0.113.61", "agent-a")
    await viewAs(video.id, "203.0.113.61", "agent-a")
    expect((await stats(video.id)).viewsTotal).toBe(3)
  })

  it("counts a viewer again once the dedup window has passed", async () => {
    const { video } = await seedVideo()
    await viewAs(video.id, "203.0.113.70")
    await viewAs(video.id, "203.0.113.70")
    expect((await stats(video.id)).viewsTotal).toBe(1)
    // The stack runs with the default 30 s window: move this viewer's last counted view just past it.
    await sql`UPDATE video_view_claims SET counted_at = counted_at - interval '31 seconds' WHERE video_id = ${video.id}`
    await viewAs(video.id, "203.0.113.70")
    await viewAs(video.id, "203.0.113.70")
    expect((await stats(video.id)).viewsTotal).toBe(2)
    // Inside the window it still counts once.
    await sql`UPDATE video_view_claims SET counted_at = counted_at - interval '20 seconds' WHERE video_id = ${video.id}`
    await viewAs(video.id, "203.0.113.70")
    expect((await stats(video.id)).viewsTotal).toBe(2)
  })

  it("keeps at most 512 characters of a user agent", async () => {
    const { video } = await seedVideo()
    await viewAs(video.id, "203.0.113.80", "x".repeat(5000))
    const [log] = await sql<{ length: number }>`SELECT length(user_agent) AS length FROM video_view_logs WHERE video_id = ${video.id}`
    expect(log!.length).toBe(512)
  })

  it("answers 404 for an unknown video and 400 naming a malformed id, recording nothing", async () => {
    const unknown = randomUUID()
    const missing = await viewAs(unknown, "203.0.113.90")
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ _tag: "VideoNotFound" })
    const malformed = await viewAs("not-a-uuid", "203.0.113.90")
    expect(malformed.status).toBe(400)
    expect(malformed.body.message).toContain("videoId")
    expect(await sql`SELECT 1 FROM video_view_logs WHERE video_id::text = ${unknown}`).toEqual([])
  })

  it("hides a PRIVATE video as 404 without its token, and counts it with the manage or admin token", async () => {
    const { video, manageToken } = await seedVideo({ visibility: "PRIVATE" })
    expect((await viewAs(video.id, "203.0.113.100")).status).toBe(404)
    expect((await viewAs(video.id, "203.0.113.101", "views-test", "not-the-token")).status).toBe(404)
    expect(await logCount(video.id)).toBe(0)
    expect(await sql`SELECT 1 FROM video_view_claims WHERE video_id = ${video.id}`).toEqual([])

    expect((await viewAs(video.id, "203.0.113.102", "views-test", manageToken)).status).toBe(200)
    expect((await viewAs(video.id, "203.0.113.103", "views-test", testEnv.adminToken)).status).toBe(200)
    expect((await api(`/api/analytics/stats/${video.id}`)).status).toBe(404)
    expect((await api(`/api/analytics/stats/${video.id}/daily`)).status).toBe(404)
    expect(await stats(video.id, manageToken)).toEqual({ viewsToday: 2, viewsMonth: 2, viewsTotal: 2 })
  })

  it("counts UNLISTED videos, which play by link", async () => {
    const { video } = await seedVideo({ visibility: "UNLISTED" })
    expect((await viewAs(video.id, "203.0.113.110")).status).toBe(200)
    expect((await stats(video.id)).viewsTotal).toBe(1)
  })
})

describe("views counted together in one batch", () => {
  const runtime = ManagedRuntime.make(ViewsRepo.layer.pipe(Layer.provide(DatabaseLayer)))
  afterAll(() => runtime.dispose())

  it("get each their own outcome", async () => {
    const a = (await seedVideo()).video.id
    const b = (await seedVideo()).video.id
    const hidden = (await seedVideo({ visibility: "PRIVATE" })).video.id
    const view = (videoId: string, ip: string, overrides: Partial<ViewToRecord> = {}): ViewToRecord => ({
      videoId: VideoId.make(videoId),
      ip,
      userAgent: null,
      dedupWindowSeconds: 30,
      allowPrivate: false,
      ...overrides
    })
    const views = [
      view(a, "192.0.2.1"),
      view(a, "192.0.2.2"),
      view(a, "192.0.2.9"),
      view(a, "192.0.2.9"),
      view(a, "192.0.2.9"),
      view(randomUUID(), "192.0.2.1"),
      view(hidden, "192.0.2.1"),
      view(hidden, "192.0.2.2", { allowPrivate: true }),
      // No window: the same viewer counts every time.
      view(b, "192.0.2.1", { dedupWindowSeconds: 0 }),
      view(b, "192.0.2.1", { dedupWindowSeconds: 0 })
    ]
    const outcomes = await runtime.runPromise(
      ViewsRepo.use((repo) => Effect.all(views.map((one) => repo.record(one)), { concurrency: "unbounded" }))
    )
    expect(outcomes.map((outcome) => outcome._tag)).toEqual([
      "Counted", "Counted", "Counted", "Repeated", "Repeated", "NotFound", "Private", "Counted", "Counted", "Counted"
    ])
    expect((await stats(a)).viewsTotal).toBe(3)
    expect((await stats(b)).viewsTotal).toBe(2)
    const logs = await sql<{ ip: string; userAgent: string | null }>`SELECT ip, user_agent FROM video_view_logs WHERE video_id = ${hidden}`
    expect(logs).toEqual([{ ip: "192.0.2.2", userAgent: null }])
  })
})

describe("GET /api/analytics/stats/:videoId/daily", () => {
  it("gives one entry per UTC day up to today, oldest first, zero-filled", async () => {
    const { video } = await seedVideo()
    await sql`
      INSERT INTO video_views_daily (video_id, day, views) VALUES
        (${video.id}, (now() AT TIME ZONE 'UTC')::date - 6, 4),
        (${video.id}, (now() AT TIME ZONE 'UTC')::date - 2, 9),
        (${video.id}, (now() AT TIME ZONE 'UTC')::date - 40, 100)`
    await viewAs(video.id, "203.0.113.120")

    const { status, body } = await api(`/api/analytics/stats/${video.id}/daily?days=7`)
    expect(status).toBe(200)
    const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10)
    expect(body.days).toEqual([
      { date: day(6), views: 4 },
      { date: day(5), views: 0 },
      { date: day(4), views: 0 },
      { date: day(3), views: 0 },
      { date: day(2), views: 9 },
      { date: day(1), views: 0 },
      { date: day(0), views: 1 }
    ])
    const month = (await api(`/api/analytics/stats/${video.id}/daily`)).body.days
    expect(month).toHaveLength(30)
    expect(month.reduce((sum: number, entry: { views: number }) => sum + entry.views, 0)).toBe(14)
    expect((await api(`/api/analytics/stats/${video.id}/daily?days=365`)).body.days).toHaveLength(365)
  })

  it.each(["days=0", "days=366", "days=seven", "days=1.5"])("rejects %s with a 400 naming days", async (query) => {
    const { video } = await seedVideo()
    const { status, body } = await api(`/api/analytics/stats/${video.id}/daily?${query}`)
    expect(status).toBe(400)
    expect(body.issues[0].path).toBe("days")
  })

  it("answers 404 for an unknown video", async () => {
    expect((await api(`/api/analytics/stats/${randomUUID()}/daily`)).status).toBe(404)
    expect((await api(`/api/analytics/stats/${randomUUID()}`)).status).toBe(404)
  })
})

describe("GET /api/analytics/top", () => {
  // Counts far above anything other tests produce, and above earlier runs against the same stack, so these
  // videos lead every list.
  const base = Date.now() * 1000

  it("lists the most-viewed public, watchable videos of the period", async () => {
    const word = randomUUID()
    const seeded = async (title: string, counters: [number, number, number], overrides = {}) => {
      const { video } = await seedVideo({ title: `${title} ${word}`, ...overrides })
      await sql`UPDATE videos SET views_today = ${counters[0]}, views_month = ${counters[1]}, views_total = ${counters[2]} WHERE id = ${video.id}`
      return video.id as string
    }
    const trending = await seeded("trending", [base + 30, base + 30, base + 30])
    const classic = await seeded("classic", [base + 10, base + 20, base + 90])
    const steady = await seeded("steady", [base + 20, base + 40, base + 50])
    await seeded("private", [base + 99, base + 99, base + 99], { visibility: "PRIVATE" })
    await seeded("unlisted", [base + 98, base + 98, base + 98], { visibility: "UNLISTED" })
    await seeded("failed", [base + 97, base + 97, base + 97], { status: "FAILED" })

    const top = async (query: string) => {
      const { status, body } = await api(`/api/analytics/top?${query}`)
      expect(status).toBe(200)
      return body.items.map((item: { id: string }) => item.id).filter((id: string) => [trending, classic, steady].includes(id))
    }
    expect(await top("period=day&limit=3")).toEqual([trending, steady, classic])
    expect(await top("period=month&limit=3")).toEqual([steady, trending, classic])
    expect(await top("period=all&limit=3")).toEqual([classic, steady, trending])
    expect(await top("period=all&limit=1")).toEqual([classic])
    // Default: today's, ten at most.
    const { body } = await api("/api/analytics/top")
    expect(body.period).toBe("day")
    expect(body.items.length).toBeLessThanOrEqual(10)
    expect(body.items[0]).toMatchObject({ id: trending, title: `trending ${word}`, viewsToday: base + 30 })
  })

  it.each(["period=week", "limit=0", "limit=101", "limit=many"])("rejects %s with a 400", async (query) => {
    const { status, body } = await api(`/api/analytics/top?${query}`)
    expect(status).toBe(400)
    expect(body.issues[0].path).toBe(query.split("=")[0])
  })
})

describe("an API of its own: TRUST_PROXY off, a 2 s dedup window", () => {
  let own: Spawned
  let url: string

  beforeAll(async () => {
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    own = await spawnApp("apps/api/src/main.ts", { API_PORT: String(port), TRUST_PROXY: "false", VIEW_DEDUP_WINDOW_SECONDS: "2" }, /Listening on/)
  })
  afterAll(() => own?.stop())

  const post = (videoId: string, forwardedFor: string) =>
    fetch(`${url}/api/analytics/view/${videoId}`, {
      method: "POST",
      headers: { "x-forwarded-for": forwardedFor, "x-real-ip": forwardedFor, "user-agent": "own-api" }
    })

  it("ignores x-forwarded-for and x-real-ip: the socket address is the viewer", async () => {
    const { video } = await seedVideo()
    const responses = await Promise.all([post(video.id, "203.0.113.200"), post(video.id, "203.0.113.201")])
    expect(responses.map((response) => response.status)).toEqual([200, 200])
    expect((await stats(video.id)).viewsTotal).toBe(1)
    const logs = await sql<{ ip: string }>`SELECT ip FROM video_view_logs WHERE video_id = ${video.id}`
    expect(logs).toEqual([{ ip: "127.0.0.1" }])
  })

  it("counts the same viewer again after the configured window", async () => {
    const { video } = await seedVideo()
    // Sent together, so they surely fall within the window however busy the machine is.
    await Promise.all([post(video.id, "ignored"), post(video.id, "ignored")])
    expect((await stats(video.id)).viewsTotal).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    await post(video.id, "ignored")
    expect((await stats(video.id)).viewsTotal).toBe(2)
  })
})

describe("view settings", () => {
  it.each([
    [{ VIEW_DEDUP_WINDOW_SECONDS: "-5" }, "VIEW_DEDUP_WINDOW_SECONDS"],
    [{ VIEW_DEDUP_WINDOW_SECONDS: "a minute" }, "VIEW_DEDUP_WINDOW_SECONDS"],
    [{ TRUST_PROXY: "the-load-balancer" }, "TRUST_PROXY"]
  ])("refuses to start with %j, naming the variable", async (env, name) => {
    const port = await freePort()
    const api = await spawnApp("apps/api/src/main.ts", { API_PORT: String(port), ...env }, /Listening on/)
    const code = await api.exited
    expect(code).not.toBe(0)
    expect(api.output()).toContain(name)
    expect(api.output()).not.toMatch(/Listening on/)
  })
})
