import { describe, expect, it } from "vitest"
import { fingerprint, partRanges, partsToSend, storedBytes } from "./uploadPlan.ts"

const MiB = 1024 * 1024

describe("partRanges", () => {
  it("cuts a file into full parts and a shorter last one", () => {
    expect(partRanges(40 * MiB, 16 * MiB)).toEqual([
      { partNumber: 1, start: 0, end: 16 * MiB },
      { partNumber: 2, start: 16 * MiB, end: 32 * MiB },
      { partNumber: 3, start: 32 * MiB, end: 40 * MiB }
    ])
  })

  it("makes one part of a file no larger than a part", () => {
    expect(partRanges(10, 16 * MiB)).toEqual([{ partNumber: 1, start: 0, end: 10 }])
    expect(partRanges(16 * MiB, 16 * MiB)).toHaveLength(1)
  })

  it("refuses a part size that would never finish", () => expect(() => partRanges(10, 0)).toThrow())
})

describe("resuming", () => {
  const ranges = partRanges(40 * MiB, 16 * MiB)

  it("sends only the parts storage does not hold", () => {
    const stored = [{ partNumber: 2, size: 16 * MiB, etag: '"b"' }]
    expect(partsToSend(ranges, stored).map((range) => range.partNumber)).toEqual([1, 3])
    expect(storedBytes(ranges, stored)).toBe(16 * MiB)
  })

  it("sends a part again when storage holds it at the wrong size", () => {
    const stored = [{ partNumber: 1, size: 3 * MiB, etag: '"a"' }, { partNumber: 3, size: 8 * MiB, etag: '"c"' }]
    expect(partsToSend(ranges, stored).map((range) => range.partNumber)).toEqual([1, 2])
    expect(storedBytes(ranges, stored)).toBe(8 * MiB)
  })

  it("ignores parts that are not in the plan", () => {
    expect(partsToSend(ranges, [{ partNumber: 9, size: 16 * MiB, etag: '"x"' }])).toHaveLength(3)
  })

  it("recognises the same file by name, size and modification time", () => {
    const file = { name: "a.mp4", size: 10, lastModified: 1 }
    expect(fingerprint(file)).toBe(fingerprint({ ...file }))
    expect(fingerprint(file)).not.toBe(fingerprint({ ...file, lastModified: 2 }))
    expect(fingerprint(file)).not.toBe(fingerprint({ ...file, size: 11 }))
  })
})
