/** The single byte range a `Range` header asks for, resolved against the object's size (inclusive end). */
export type RangeRequest =
  | { readonly _tag: "Whole" }
  | { readonly _tag: "Partial"; readonly start: number; readonly end: number }
  | { readonly _tag: "Unsatisfiable" }

const WHOLE: RangeRequest = { _tag: "Whole" }

/**
 * Players ask for one range at a time; a multi-range or malformed header is answered with the whole object,
 * as RFC 9110 allows.
 */
export const parseRange = (header: string | undefined, size: number): RangeRequest => {
  if (header === undefined) return WHOLE
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null) return WHOLE
  const [, first, last] = match
  if (first === "" && last === "") return WHOLE
  if (first === "") {
    const suffix = Number(last)
    if (suffix === 0) return { _tag: "Unsatisfiable" }
    return { _tag: "Partial", start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1)
  if (start >= size || end < start) return { _tag: "Unsatisfiable" }
  return { _tag: "Partial", start, end }
}
