// The site's server-side view of the API. Pages render from these calls; the browser never needs them.

export interface VideoSummary {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly status: "PENDING" | "PROCESSING" | "READY" | "FAILED" | "LIVE"
  readonly visibility: "PUBLIC" | "UNLISTED" | "PRIVATE"
  readonly videoType: "VOD" | "LIVE"
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

export interface VideoPage {
  readonly items: ReadonlyArray<VideoSummary>
  readonly nextCursor: string | null
}

const apiBase = () => process.env.API_INTERNAL_URL ?? "http://127.0.0.1:3001"

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const getJson = async <A>(path: string): Promise<A> => {
  const response = await fetch(`${apiBase()}${path}`, { signal: AbortSignal.timeout(5000) })
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string }
    throw new ApiError(response.status, body.message ?? `API answered ${response.status}`)
  }
  return (await response.json()) as A
}

export const listVideos = (params: URLSearchParams): Promise<VideoPage> =>
  getJson<VideoPage>(`/api/videos?${params.toString()}`)
