/**
 * Appends a query parameter to every URI a playlist names (segment and variant lines, and `URI="..."`
 * attributes of EXT-X-MAP, EXT-X-MEDIA, EXT-X-KEY, EXT-X-I-FRAME-STREAM-INF, EXT-X-PART, ...), so players carry
 * a private video's playback signature to every request they make from it.
 */
export const withQueryOnEveryUri = (playlist: string, name: string, value: string): string => {
  const param = `${name}=${encodeURIComponent(value)}`
  const addTo = (uri: string) => `${uri}${uri.includes("?") ? "&" : "?"}${param}`
  return playlist
    .split("\n")
    .map((line) => {
      const trimmed = line.trim()
      if (trimmed === "") return line
      if (!trimmed.startsWith("#")) return addTo(trimmed)
      return line.replace(/URI="([^"]*)"/g, (_, uri: string) => `URI="${addTo(uri)}"`)
    })
    .join("\n")
}
