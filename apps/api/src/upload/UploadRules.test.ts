import { describe, expect, it } from "vitest"
import {
  contentTypeProblem,
  defaultTitle,
  fileNameProblem,
  fileSizeProblem,
  mediaType,
  partCountFor,
  partSizeFor,
  partsProblem
} from "./UploadRules.ts"

describe("fileNameProblem", () => {
  it("accepts plain names, spaces and non-Latin letters", () => {
    for (const name of ["clip.mp4", "My holiday (2024).MOV", "видео.webm", ".hidden.mp4", "a..b.mp4"]) {
      expect(fileNameProblem(name)).toBeUndefined()
    }
  })
  it("refuses paths, traversal, control characters, empty and overlong names", () => {
    expect(fileNameProblem("../../etc/passwd")).toMatch(/plain file name, not a path/)
    expect(fileNameProblem("/etc/passwd")).toMatch(/not a path/)
    expect(fileNameProblem("..\\windows\\x.mp4")).toMatch(/not a path/)
    expect(fileNameProblem("C:evil.mp4")).toMatch(/drive letter/)
    expect(fileNameProblem("..")).toMatch(/not '.' or '..'/)
    expect(fileNameProblem("clip\u0000.mp4")).toBe("fileName contains control characters")
    expect(fileNameProblem("clip\n.mp4")).toBe("fileName contains control characters")
    expect(fileNameProblem("   ")).toBe("fileName is empty")
    expect(fileNameProblem(`${"a".repeat(252)}.mp4`)).toBe("fileName is longer than 255 characters")
  })
})

describe("contentTypeProblem", () => {
  it("accepts video types, with parameters and in any case", () => {
    expect(contentTypeProblem("video/mp4")).toBeUndefined()
    expect(contentTypeProblem("Video/QuickTime")).toBeUndefined()
    expect(contentTypeProblem('video/webm; codecs="vp9,opus"')).toBeUndefined()
    expect(mediaType('video/webm; codecs="vp9"')).toBe("video/webm")
  })
  it("refuses other types and junk", () => {
    expect(contentTypeProblem("image/png")).toBe("contentType image/png is not a video type (video/*)")
    expect(contentTypeProblem("application/octet-stream")).toMatch(/not a video type/)
    expect(contentTypeProblem("mp4")).toMatch(/not a media type/)
    expect(contentTypeProblem("video/")).toMatch(/not a media type/)
  })
})

describe("fileSizeProblem", () => {
  it("accepts 1 byte up to the limit and refuses 0, fractions and more", () => {
    expect(fileSizeProblem(1, 100)).toBeUndefined()
    expect(fileSizeProblem(100, 100)).toBeUndefined()
    expect(fileSizeProblem(0, 100)).toMatch(/at least 1 byte/)
    expect(fileSizeProblem(1.5, 100)).toMatch(/whole number/)
    expect(fileSizeProblem(101, 100)).toBe("fileSize 101 is over the limit of 100 bytes")
  })
})

describe("defaultTitle", () => {
  it("is the file name without its extension", () => {
    expect(defaultTitle("Holiday 2024.mp4")).toBe("Holiday 2024")
    expect(defaultTitle("archive.tar.mkv")).toBe("archive.tar")
    expect(defaultTitle(".mp4")).toBe(".mp4")
    expect(defaultTitle("   ")).toBe("Untitled video")
    expect(defaultTitle(`${"x".repeat(300)}.mp4`)).toHaveLength(200)
  })
})

describe("multipart parts", () => {
  it("uses 16 MiB parts, larger when the file would need more than 10,000", () => {
    expect(partSizeFor(100)).toBe(16 * 1024 * 1024)
    expect(partCountFor(40 * 1024 * 1024)).toBe(3)
    expect(partSizeFor(200 * 1024 ** 3)).toBe(32 * 1024 * 1024)
    expect(partCountFor(200 * 1024 ** 3)).toBeLessThanOrEqual(10_000)
  })
  it("finds missing parts, extra parts and a wrong total", () => {
    const MiB = 1024 * 1024
    const size = 40 * MiB
    const full = [{ partNumber: 1, size: 16 * MiB }, { partNumber: 2, size: 16 * MiB }, { partNumber: 3, size: 8 * MiB }]
    expect(partsProblem(full, size)).toBeUndefined()
    expect(partsProblem([full[0]!, full[2]!], size)).toBe("The upload is incomplete: part 2 of 3 missing")
    expect(partsProblem([], size)).toBe("The upload is incomplete: parts 1, 2, 3 of 3 missing")
    expect(partsProblem([...full, { partNumber: 4, size: 1 }], size)).toMatch(/beyond the 3 the file needs: 4/)
    expect(partsProblem([full[0]!, full[1]!, { partNumber: 3, size: 7 * MiB }], size)).toBe(
      `The stored parts hold ${39 * MiB} bytes but ${size} were announced`
    )
  })
})
