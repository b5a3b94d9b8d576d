// Live-stream helpers for the tests: create streams through the API, wait for states, look at storage.
import { LiveStorageKeys, Storage } from "@reelbase/domain"
import { Client, Connection } from "@temporalio/client"
import { services } from "./db.ts"
import { testEnv } from "./env.ts"
import { api } from "./http.ts"

export interface CreatedStream {
  readonly videoId: string
  readonly streamKey: string
  readonly whipUrl: string
  readonly webrtcSignalUrl: string
  readonly manageToken: string
}

export const createStream = async (title = "A live test stream", apiUrl = testEnv.apiUrl): Promise<CreatedStream> => {
  const response = await fetch(`${apiUrl}/api/live/create`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title })
  })
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as CreatedStream
}

export interface LiveStatusJson {
  readonly videoId: string
  readonly isLiveNow: boolean
  readonly status: string
  readonly hlsUrl: string | null
  readonly viewsTotal: number
  readonly liveStartedAt: string | null
  readonly liveEndedAt: string | null
}

export const liveStatus = async (videoId: string, apiUrl = testEnv.apiUrl): Promise<LiveStatusJson> => {
  const response = await fetch(`${apiUrl}/api/live/${videoId}/status`)
  return (await response.json()) as LiveStatusJson
}

/** Polls until `check` returns a value (not undefined); fails with the last observation after `timeoutMs`. */
export const eventually = async <A>(
  what: string,
  check: () => Promise<A | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250
): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? "" : `: ${String(last)}`}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

export const waitForStatus = (videoId: string, wanted: (status: LiveStatusJson) => boolean, what: string, timeoutMs = 60_000, apiUrl = testEnv.apiUrl) =>
  eventually(what, async () => {
    const status = await liveStatus(videoId, apiUrl)
    return wanted(status) ? status : undefined
  }, timeoutMs)

export const liveObjects = (videoId: string) =>
  services.runPromise(Storage.use((storage) => storage.list(LiveStorageKeys.prefix(videoId))))

export const mediaText = async (url: string): Promise<string> => {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return response.text()
}

export const temporalClient = async () => {
  const connection = await Connection.connect({ address: testEnv.temporalAddress })
  return { client: new Client({ connection, namespace: testEnv.temporalNamespace }), close: () => connection.close() }
}

export { api }
