// How numbers and times read on the site. Pure, so server pages and browser islands agree to the character.

/** `7` → "0:07", `3723` → "1:02:03": the clock format every video site uses for durations. */
export const formatDuration = (totalSeconds: number): string => {
  const seconds = Math.max(0, Math.round(totalSeconds))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const ss = String(s).padStart(2, "0")
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`
}

/** "3 minutes 5 seconds", for screen readers: "3:05" is read out as a time of day. */
export const spokenDuration = (totalSeconds: number): string => {
  const seconds = Math.max(0, Math.round(totalSeconds))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const part = (n: number, unit: string) => (n === 0 ? [] : [`${n} ${unit}${n === 1 ? "" : "s"}`])
  const parts = [...part(h, "hour"), ...part(m, "minute"), ...part(s, "second")]
  return parts.length === 0 ? "0 seconds" : parts.join(" ")
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 })
const exact = new Intl.NumberFormat("en")

/** `1` → "1 view", `1234` → "1.2K views". */
export const formatViews = (views: number): string => `${compact.format(views)} ${views === 1 ? "view" : "views"}`

/** `1234` → "1,234": for the stats panel, where the exact figure is the point. */
export const formatCount = (count: number): string => exact.format(count)

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" })

const UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60]
]

/** "3 days ago", "last month", "just now": how old something is, in the largest whole unit. */
export const timeAgo = (date: Date, now: Date = new Date()): string => {
  const elapsed = Math.round((now.getTime() - date.getTime()) / 1000)
  if (elapsed < 45) return "just now"
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return relative.format(-Math.floor(elapsed / size), unit)
  }
  return relative.format(-1, "minute")
}

const longDate = new Intl.DateTimeFormat("en", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" })

/** "November 24, 2026" (UTC, so every viewer and the server agree). */
export const formatDate = (date: Date): string => longDate.format(date)

const shortDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" })

/** "Nov 24" for a `YYYY-MM-DD` UTC day. */
export const formatDay = (isoDay: string): string => shortDay.format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`))

/** `83` → "01:23", `3723` → "1:02:03": the running clock on the host page. */
export const formatElapsed = (totalSeconds: number): string => {
  const seconds = Math.max(0, Math.floor(totalSeconds))
  const h = Math.floor(seconds / 3600)
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")
  const ss = String(seconds % 60).padStart(2, "0")
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

/** `1536` → "1.5 KB", `5e9` → "4.7 GB": file sizes in the units upload dialogs use. */
export const formatBytes = (bytes: number): string => {
  const units = ["bytes", "KB", "MB", "GB", "TB"]
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`
}

/** An error message as a sentence: "API is unreachable" → "API is unreachable." (already punctuated stays). */
export const sentence = (text: string): string => {
  const trimmed = text.trim()
  return trimmed === "" || /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
