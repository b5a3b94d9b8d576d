import { describe, expect, it } from "vitest"
import { fileProblem, titleFromFileName, videoContentType } from "./fileChecks.ts"

describe("videoContentType", () => {
  it("keeps the browser's video type, and fills in one from the extension when it has none", () => {
    expect(videoContentType({ name: "a.mp4", type: "video/mp4" })).toBe("video/mp4")
    expect(videoContentType({ name: "a.MKV", type: "" })).toBe("video/x-matroska")
    expect(videoContentType({ name: "a.mov", type: "application/octet-stream" })).toBe("video/quicktime")
  })

  it("knows what is not a video", () => {
    expect(videoContentType({ name: "a.txt", type: "text/plain" })).toBeUndefined()
    expect(videoContentType({ name: "a.mp4", type: "image/png" })).toBeUndefined()
    expect(videoContentType({ name: "README", type: "" })).toBeUndefined()
  })
})

describe("fileProblem", () => {
  it("says what is wrong in words, naming the file", () => {
    expect(fileProblem({ name: "notes.txt", type: "text/plain", size: 5 })).toBe(
      "“notes.txt” isn't a video file. Pick a video such as an MP4, MOV, WebM or MKV."
    )
    expect(fileProblem({ name: "empty.mp4", type: "video/mp4", size: 0 })).toBe("“empty.mp4” is empty (0 bytes).")
    expect(fileProblem({ name: "fine.webm", type: "video/webm", size: 1 })).toBeUndefined()
  })
})

describe("titleFromFileName", () => {
  it.each([
    ["my_holiday-2026.final.mp4", "my holiday-2026 final"],
    ["Clip.mov", "Clip"],
    [".hidden", "hidden"],
    ["no extension", "no extension"]
  ])("%s → %s", (name, title) => expect(titleFromFileName(name)).toBe(title))

  it("stays within the 200 characters a title may have", () => expect(titleFromFileName(`${"x".repeat(300)}.mp4`)).toHaveLength(200))
})
