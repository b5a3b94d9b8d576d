import { readFileSync } from "node:fs"
import { afterAll, describe, expect, it } from "vitest"
import { sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import { createStream, liveStatus, temporalClient } from "./support/live.ts"
import { startOwnApi } from "./support/ownStack.ts"

// A real Chromium offer (canvas video + WebAudio, mDNS candidates), as the ingest would receive it.
const chromiumOffer = readFileSync(new URL("../domain/src/fixtures/chromium-offer.sdp", import.meta.url), "utf8")
const siteOrigin = process.env.SITE_ORIGIN!

const temporal = await temporalClient()
afterAll(() => temporal.close())

const whip = (url: string, init: { token?: string; body?: string; contentType?: string; method?: string } = {}) =>
  fetch(url, {
    method: init.method ?? "POST",
    headers: {
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      ...(init.contentType === undefined && init.body === undefined ? {} : { "content-type": init.contentType ?? "application/sdp" })
    },
    ...(init.body === undefined ? {} : { body: init.body })
  })

describe("POST /api/live/create", () => {
  it("creates a PENDING live video with hashed secrets and a session workflow waiting for a publisher", async () => {
    const response = await api("/api/live/create", { method: "POST", json: { title: "Morning show", description: "Coffee and news" } })
    expect(response.status).toBe(201)
    const created = response.body
    expect(created).toEqual({
      videoId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      streamKey: expect.stringMatching(/^[\w-]{43}$/),
      manageToken: expect.stringMatching(/^[\w-]{43}$/),
      whipUrl: `${process.env.PUBLIC_API_URL}/api/live/${created.videoId}/whip`,
      webrtcSignalUrl: `${process.env.PUBLIC_API_URL}/api/live/${created.videoId}/signal`
    })

    const [row] = await sql<{ status: string; videoType: string; streamKeyHash: string; manageTokenHash: string; isLiveNow: boolean }>`
      SELECT status, video_type, stream_key_hash, manage_token_hash, is_live_now FROM videos WHERE id = ${created.videoId}`
    expect(row).toMatchObject({ status: "PENDING", videoType: "LIVE", isLiveNow: false })
    // Only hashes are stored.
    expect(row!.streamKeyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.streamKeyHash).not.toContain(created.streamKey)
    expect(row!.manageTokenHash).not.toContain(created.manageToken)

    const description = await temporal.client.workflow.getHandle(`live-${created.videoId}`).describe()
    expect(description.type).toBe("liveSession")
    expect(description.status.name).toBe("RUNNING")
    expect(description.typedSearchAttributes.get({ name: "VideoId", type: "KEYWORD" } as never)).toBe(created.videoId)
    expect(description.typedSearchAttributes.get({ name: "VideoType", type: "KEYWORD" } as never)).toBe("LIVE")
    const view = await temporal.client.workflow.getHandle(`live-${created.videoId}`).query("session")
    expect(view).toEqual({ phase: "waiting", sessionId: null, hostQueue: null })

    expect(await liveStatus(created.videoId)).toEqual({
      videoId: created.videoId,
      isLiveNow: false,
      status: "PENDING",
      hlsUrl: null,
      viewsTotal: 0,
      liveStartedAt: null,
      liveEndedAt: null
    })
  })

  it.each([
    ["no title", { description: "x" }, "title"],
    ["an empty title", { title: "" }, "title"],
    ["a title too long", { title: "x".repeat(201) }, "title"],
    ["an unknown visibility", { title: "ok", visibility: "SECRET" }, "visibility"]
  ])("refuses %s with 400 naming the field, and creates nothing", async (_, json, field) => {
    const [before] = await sql<{ count: string }>`SELECT count(*) FROM videos WHERE video_type = 'LIVE'`
    const response = await api("/api/live/create", { method: "POST", json })
    expect(response.status).toBe(400)
    expect(response.body.message).toContain(field)
    const [after] = await sql<{ count: string }>`SELECT count(*) FROM videos WHERE video_type = 'LIVE'`
    expect(after).toEqual(before)
  })
})

describe("creating a stream while Temporal is down", () => {
  it("answers 503 and leaves no half-made stream behind", async () => {
    // An API of its own whose Temporal address answers nothing (port 9 is discard, closed here).
    const { apiUrl, api: ownApi } = await startOwnApi({ TEMPORAL_ADDRESS: "127.0.0.1:9" })
    try {
      const title = `No Temporal ${Date.now()}`
      const response = await fetch(`${apiUrl}/api/live/create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title })
      })
      expect(response.status).toBe(503)
      expect((await response.json()).message).toContain("no stream was created")
      expect(await sql`SELECT id FROM videos WHERE title = ${title}`).toEqual([])
    } finally {
      await ownApi.stop()
    }
  })
})

describe("WHIP endpoint", () => {
  it("answers OPTIONS as WHIP clients and browsers expect", async () => {
    const { whipUrl } = await createStream()
    const response = await fetch(whipUrl.replace(process.env.PUBLIC_API_URL!, testEnv.apiUrl), {
      method: "OPTIONS",
      headers: { origin: siteOrigin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" }
    })
    expect(response.status).toBe(204)
    expect(response.headers.get("accept-post")).toBe("application/sdp")
    expect(response.headers.get("access-control-allow-origin")).toBe(siteOrigin)
    expect(response.headers.get("access-control-allow-methods")).toContain("POST")
    expect(response.headers.get("access-control-allow-methods")).toContain("DELETE")
    expect(response.headers.get("access-control-allow-headers")).toContain("authorization")
    expect(response.headers.get("access-control-expose-headers")).toContain("location")
  })

  it("refuses a missing or wrong stream key with 401, and the manage token is no stream key", async () => {
    const stream = await createStream()
    const url = `${testEnv.apiUrl}/api/live/${stream.videoId}/whip`
    for (const token of [undefined, "wrong", stream.manageToken]) {
      const response = await whip(url, { ...(token === undefined ? {} : { token }), body: chromiumOffer })
      expect(response.status).toBe(401)
      expect((await response.json()).message).toContain("Bearer <streamKey>")
    }
    expect((await liveStatus(stream.videoId)).status).toBe("PENDING")
  })

  it.each([
    ["plain text", "hello", "not an SDP offer"],
    ["JSON", '{"type":"offer"}', "not an SDP offer"],
    ["an SDP answer", chromiumOffer.replaceAll("a=setup:actpass", "a=setup:active"), "belongs to an answer"],
    ["an offer that sends nothing", chromiumOffer.replaceAll("a=sendonly", "a=recvonly"), "sends no video"]
  ])("refuses %s with 400 and a reason, and stays waiting", async (_, body, reason) => {
    const stream = await createStream()
    const response = await whip(`${testEnv.apiUrl}/api/live/${stream.videoId}/whip`, { token: stream.streamKey, body })
    expect(response.status).toBe(400)
    const error = await response.json()
    expect(error._tag).toBe("BadRequest")
    expect(error.message).toContain(reason)
    expect((await liveStatus(stream.videoId)).status).toBe("PENDING")
    const view = await temporal.client.workflow.getHandle(`live-${stream.videoId}`).query("session")
    expect(view).toMatchObject({ phase: "waiting" })
  })

  it("refuses a body that is not application/sdp with 415", async () => {
    const stream = await createStream()
    const response = await whip(`${testEnv.apiUrl}/api/live/${stream.videoId}/whip`, {
      token: stream.streamKey,
      body: chromiumOffer,
      contentType: "text/plain"
    })
    expect(response.status).toBe(415)
  })

  it("answers 404 for streams that do not exist and 405 to PATCH (no trickle ICE needed)", async () => {
    const missing = await whip(`${testEnv.apiUrl}/api/live/00000000-0000-4000-8000-000000000000/whip`, { token: "x", body: chromiumOffer })
    expect(missing.status).toBe(404)
    const stream = await createStream()
    const patch = await whip(`${testEnv.apiUrl}/api/live/${stream.videoId}/whip/some-session`, {
      method: "PATCH",
      token: stream.streamKey,
      body: "a=candidate:1 1 udp 1 192.0.2.1 9 typ host",
      contentType: "application/trickle-ice-sdpfrag"
    })
    expect(patch.status).toBe(405)
    const end = await whip(`${testEnv.apiUrl}/api/live/${stream.videoId}/whip/not-a-session`, { method: "DELETE", token: stream.streamKey })
    expect(end.status).toBe(404)
  })

  it("is described in the OpenAPI document", async () => {
    const { body } = await api("/api/openapi.json")
    const whipPath = Object.keys(body.paths).find((path) => path.startsWith("/api/live/") && path.endsWith("/whip"))!
    expect(Object.keys(body.paths[whipPath].post.requestBody.content)).toEqual(["application/sdp"])
    expect(body.paths[whipPath].post.responses["201"]).toBeDefined()
  })
})

describe("JSON signalling", () => {
  it("refuses a message that is not an offer with 400", async () => {
    const stream = await createStream()
    const response = await api(`/api/live/${stream.videoId}/signal`, {
      method: "POST",
      token: stream.streamKey,
      json: { type: "answer", sdp: chromiumOffer }
    })
    expect(response.status).toBe(400)
    expect(response.body.message).toContain("type")
  })
})

describe("start, stop, status and the live list", () => {
  it("need the manage token to start or stop, and stopping a stream nobody published ends its session quietly", async () => {
    const stream = await createStream()
    expect((await api(`/api/live/${stream.videoId}/stop`, { method: "POST" })).status).toBe(401)
    expect((await api(`/api/live/${stream.videoId}/stop`, { method: "POST", token: stream.streamKey })).status).toBe(403)
    expect((await api(`/api/live/${stream.videoId}/start`, { method: "POST", token: "nope" })).status).toBe(403)

    const stopped = await api(`/api/live/${stream.videoId}/stop`, { method: "POST", token: stream.manageToken })
    expect(stopped.status).toBe(200)
    expect(stopped.body).toMatchObject({ status: "PENDING", isLiveNow: false })
    const handle = temporal.client.workflow.getHandle(`live-${stream.videoId}`)
    expect(await handle.result()).toEqual({ outcome: "no-publisher", segments: 0, durationSeconds: 0 })

    // Start opens it again for a publisher.
    const started = await api(`/api/live/${stream.videoId}/start`, { method: "POST", token: stream.manageToken })
    expect(started.status).toBe(200)
    expect((await handle.describe()).status.name).toBe("RUNNING")
    expect((await api(`/api/live/${stream.videoId}/start`, { method: "POST", token: testEnv.adminToken })).status).toBe(200)
  })

  it("keeps a private stream's status from anyone without its token", async () => {
    const stream = await createStream()
    await api(`/api/videos/${stream.videoId}`, { method: "PATCH", token: stream.manageToken, json: { visibility: "PRIVATE" } })
    expect((await api(`/api/live/${stream.videoId}/status`)).status).toBe(404)
    expect((await api(`/api/live/${stream.videoId}/status`, { token: stream.manageToken })).status).toBe(200)
  })

  it("answers 404 for the live status of a video that is not a live stream, and lists no pending streams", async () => {
    expect((await api(`/api/live/00000000-0000-4000-8000-000000000000/status`)).status).toBe(404)
    const stream = await createStream("Not live yet")
    const { body } = await api("/api/live")
    expect(body.items.map((item: { id: string }) => item.id)).not.toContain(stream.videoId)
  })
})
