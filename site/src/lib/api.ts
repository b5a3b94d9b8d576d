// The site's server-side view of the API. Pages render from these calls; islands talk to the API themselves
// at the public URL the page hands them (`publicApiUrl`), which is read at run time, never baked into the build.
import type { DailyViews } from "./chart.ts"
import { dailyViewsFrom } from "./dailyViews.ts"

export type VideoStatus = "PENDING" | "PROCESSING" | "READY" | "FAILED" | "LIVE"
export type Visibility = "PUBLIC" | "UNLISTED" | "PRIVATE"
export type VideoType = "VOD" | "LIVE"

export interface VideoSummary {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly status: VideoStatus
  readonly visibility: Visibility
  readonly videoType: VideoType
  readonly durationSeconds: number | null
  readonly thumbnailUrl: string | null
  readonly hlsUrl: string | null
  readonly isLiveNow: boolean
  readonly viewsToday: number
  readonly viewsMonth: number
  readonly viewsTotal: number
  readonly failureReason: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface Variant {
  readonly resolution: string
  readonly width: number
  readonly height: number
  readonly bitrate: number
  readonly codec: string
}

export interface VideoDetail extends VideoSummary {
  readonly variants: ReadonlyArray<Variant>
  /** 0..1 while transcoding. */
  readonly progress: number | null
  readonly workflowsUrl: string
}

export interface VideoPage {
  readonly items: ReadonlyArray<VideoSummary>
  readonly nextCursor: string | null
}

export interface CreatedLive {
  readonly videoId: string
  readonly streamKey: string
  readonly whipUrl: string
  readonly manageToken: string
}

const env = (name: string, fallback: string): string => {
  const value = process.env[name]
  return value === undefined || value === "" ? fallback : value
}

const apiBase = () => env("API_INTERNAL_URL", "http://127.0.0.1:3001")

/** The API as browsers reach it: handed to islands in data attributes. */
export const publicApiUrl = (): string => env("PUBLIC_API_URL", "http://localhost:3001").replace(/\/$/, "")

/** The site as browsers reach it (the first of SITE_ORIGIN), for absolute links such as a stream's share URL. */
export const siteOrigin = (): string => env("SITE_ORIGIN", "http://localhost:3000").split(",")[0]!.trim().replace(/\/$/, "")

/** The WHIP ingest URL of a stream, for a studio whose browser did not keep it from the stream's creation. */
export const whipUrlFor = (id: string): string => `${publicApiUrl()}/api/live/${encodeURIComponent(id)}/whip`

/** Page renders wait this long for the API before showing an error state instead of hanging. */
const TIMEOUT_MS = 5000

export class ApiError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
  /** The API could not be reached or failed on its side: the page says so and suggests a retry. */
  get isOutage(): boolean {
    return this.status >= 500
  }
}

interface CallOptions {
  readonly method?: string
  readonly token?: string | undefined
  readonly json?: unknown
  readonly body?: ReadableStream<Uint8Array> | null
  readonly headers?: Record<string, string>
  readonly timeoutMs?: number | undefined
}

const call = async (path: string, options: CallOptions = {}): Promise<Response> => {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined && options.token !== "") headers.authorization = `Bearer ${options.token}`
  if (options.json !== undefined) headers["content-type"] = "application/json"
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body ?? undefined
  try {
    return await fetch(`${apiBase()}${path}`, {
      method: options.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body, duplex: "half" }),
      ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) })
    } as RequestInit)
  } catch (cause) {
    const reason = cause instanceof Error && cause.name === "TimeoutError" ? "did not answer in time" : "is unreachable"
    throw new ApiError(503, `The Reelbase API ${reason}`)
  }
}

const failure = async (response: Response): Promise<ApiError> => {
  const body = (await response.json().catch(() => ({}))) as { message?: unknown }
  const message = typeof body.message === "string" ? body.message : `The API answered ${response.status}`
  return new ApiError(response.status, message)
}

const getJson = async <A>(path: string, token?: string): Promise<A> => {
  const response = await call(path, { token, timeoutMs: TIMEOUT_MS })
  if (!response.ok) throw await failure(response)
  return (await response.json()) as A
}

/** Like `getJson`, but a 404 is an answer (`undefined`), not an error. */
const findJson = async <A>(path: string, token?: string): Promise<A | undefined> => {
  const response = await call(path, { token, timeoutMs: TIMEOUT_MS })
  if (response.status === 404) {
    await response.body?.cancel()
    return undefined
  }
  if (!response.ok) throw await failure(response)
  return (await response.json()) as A
}

export const listVideos = (params: URLSearchParams): Promise<VideoPage> =>
  getJson<VideoPage>(`/api/videos?${params.toString()}`)

export const getVideo = (id: string, token?: string): Promise<VideoDetail | undefined> =>
  findJson<VideoDetail>(`/api/videos/${encodeURIComponent(id)}`, token)

/** The last `days` UTC days of views, oldest first; undefined when the API keeps no history for the video. */
export const getDailyViews = async (id: string, days: number, token?: string): Promise<ReadonlyArray<DailyViews> | undefined> => {
  const body = await findJson<unknown>(`/api/analytics/stats/${encodeURIComponent(id)}/daily?days=${days}`, token)
  return body === undefined ? undefined : dailyViewsFrom(body)
}

export const createLive = async (title: string, description: string, visibility: Visibility): Promise<CreatedLive> => {
  const response = await call("/api/live/create", { method: "POST", json: { title, description, visibility }, timeoutMs: 15_000 })
  if (!response.ok) throw await failure(response)
  return (await response.json()) as CreatedLive
}

/** Streams a browser's multipart form straight on to the API's streamed upload endpoint (no-JS upload). */
export const forwardUploadForm = async (contentType: string, contentLength: string | null, body: ReadableStream<Uint8Array>) => {
  const response = await call("/api/upload/form", {
    method: "POST",
    body,
    headers: { "content-type": contentType, ...(contentLength === null ? {} : { "content-length": contentLength }) }
  })
  if (!response.ok) throw await failure(response)
  return (await response.json()) as { videoId: string; manageToken: string }
}
