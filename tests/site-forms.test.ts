// The site's own form endpoints: who may post to them, and what bad input gets back.
import { describe, expect, it } from "vitest"
import { testEnv } from "./support/env.ts"

const siteOrigin = (process.env.SITE_ORIGIN ?? "").replace(/\/$/, "")

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${testEnv.siteUrl}${path}`, { method: "POST", body, headers, redirect: "manual" })

describe("site forms", () => {
  it("refuse posts from other sites and posts without an Origin, changing nothing", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" }
    const evil = await post("/live/create", "title=Hijacked", { ...form, origin: "https://evil.example" })
    expect(evil.status).toBe(403)
    expect(await evil.text()).toContain("Cross-site form submissions are refused")
    expect((await post("/live/create", "title=Hijacked", form)).status).toBe(403)
  })

  it("accept the site's public origin even when the request arrives at another address (a proxy)", async () => {
    // SITE_ORIGIN is http://localhost:<port>; the request goes to 127.0.0.1, as a proxy's would.
    const response = await post("/live/create", "title=&description=", {
      "content-type": "application/x-www-form-urlencoded",
      origin: siteOrigin
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain("Give the stream a title.")
  })

  it("names the problem when the no-JS upload is not a multipart form", async () => {
    const response = await post("/videos/upload", "title=x", { "content-type": "application/x-www-form-urlencoded", origin: siteOrigin })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain("The form must be sent as multipart/form-data with a file.")
  })
})
