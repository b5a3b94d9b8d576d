import { describe, expect, it } from "vitest"
import { cameraProblem } from "./mediaErrors.ts"

const named = (name: string) => Object.assign(new Error("raw"), { name })

describe("cameraProblem", () => {
  it.each([
    ["NotAllowedError", "access is blocked"],
    ["NotFoundError", "No camera or microphone was found"],
    ["NotReadableError", "busy"],
    ["OverconstrainedError", "isn't available any more"]
  ])("%s: %s", (name, words) => expect(cameraProblem(named(name), true)).toContain(words))

  it("explains the secure-connection rule first", () => expect(cameraProblem(named("NotAllowedError"), false)).toContain("https://"))

  it("falls back to the browser's message", () => expect(cameraProblem(named("WeirdError"), true)).toBe("The camera could not be started: raw"))
})
