import { Option } from "effect"

/** Position in the newest-first catalog: the last item's creation time and id (the tie-breaker). */
export interface CatalogCursor {
  readonly createdAt: Date
  readonly id: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const encodeCursor = (cursor: CatalogCursor): string =>
  Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString("base64url")

export const decodeCursor = (text: string): Option.Option<CatalogCursor> => {
  const [iso, id, ...rest] = Buffer.from(text, "base64url").toString("utf8").split("|")
  if (iso === undefined || id === undefined || rest.length > 0 || !UUID.test(id)) return Option.none()
  const createdAt = new Date(iso)
  return Number.isNaN(createdAt.getTime()) ? Option.none() : Option.some({ createdAt, id })
}
