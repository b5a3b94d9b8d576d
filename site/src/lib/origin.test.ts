import { describe, expect, it } from "vitest"
import { acceptsOrigin } from "./origin.ts"

describe("acceptsOrigin", () => {
  const direct = "http://127.0.0.1:3000"
  const site = "https://videos.example.com"

  it("lets every read through", () => {
    expect(acceptsOrigin("GET", "https://evil.example", direct, site)).toBe(true)
    expect(acceptsOrigin("head", null, direct, site)).toBe(true)
  })

  it("accepts forms from the public origin behind a TLS proxy, and from the address reached directly", () => {
    expect(acceptsOrigin("POST", site, direct, site)).toBe(true)
    expect(acceptsOrigin("POST", `${site}`, direct, `${site}/`)).toBe(true)
    expect(acceptsOrigin("POST", direct, direct, site)).toBe(true)
  })

  it("refuses other sites, opaque origins and requests without an Origin", () => {
    expect(acceptsOrigin("POST", "https://evil.example", direct, site)).toBe(false)
    expect(acceptsOrigin("POST", "null", direct, site)).toBe(false)
    expect(acceptsOrigin("POST", null, direct, site)).toBe(false)
    expect(acceptsOrigin("DELETE", "http://videos.example.com", direct, site)).toBe(false)
  })
})
