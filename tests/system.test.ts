import { describe, expect, it } from "vitest"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"

describe("system endpoints", () => {
  it("/health answers while the process is up", async () => {
    expect(await api("/health")).toMatchObject({ status: 200, body: { status: "ok" } })
  })

  it("/ready answers 200 once Postgres, the bucket and Temporal all answer", async () => {
    expect(await api("/ready")).toMatchObject({
      status: 200,
      body: { status: "ready", checks: { postgres: "ok", storage: "ok", temporal: "ok" } }
    })
  })

  it("publishes the OpenAPI document and its docs page", async () => {
    const openapi = await api("/api/openapi.json")
    expect(openapi.status).toBe(200)
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(["/api/videos", "/api/videos/{id}", "/ready"]))
    const docs = await fetch(`${testEnv.apiUrl}/api/docs`)
    expect(docs.status).toBe(200)
    expect(docs.headers.get("content-type")).toContain("text/html")
  })

  it("lets the site's origin call it (CORS)", async () => {
    const preflight = await fetch(`${testEnv.apiUrl}/api/videos/00000000-0000-4000-8000-000000000000`, {
      method: "OPTIONS",
      headers: { origin: process.env.SITE_ORIGIN!, "access-control-request-method": "PATCH", "access-control-request-headers": "authorization,content-type" }
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get("access-control-allow-origin")).toBe(process.env.SITE_ORIGIN)
  })
})

describe("site", () => {
  it("renders the catalog from the API", async () => {
    const response = await fetch(`${testEnv.siteUrl}/`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain("Reelbase")
  })
})
