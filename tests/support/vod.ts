// Uploading and waiting for videos through the real API, as browsers and the site do.
import { readFile, stat } from "node:fs/promises"
import { Client, Connection } from "@temporalio/client"
import { testEnv } from "./env.ts"
import { api } from "./http.ts"

export interface Uploaded {
  readonly videoId: string
  readonly manageToken: string
}

/** presign → PUT the whole file to the presigned URL → complete; returns once complete answered. */
export const uploadViaPresign = async (
  path: string,
  options: { title?: string; contentType?: string; apiUrl?: string } = {}
): Promise<Uploaded & { completeStatus: number }> => {
  const apiUrl = options.apiUrl ?? testEnv.apiUrl
  const body = await readFile(path)
  const presigned = await apiAt(apiUrl, "/api/upload/presign", {
    method: "POST",
    json: {
      fileName: path.split("/").pop(),
      fileSize: body.length,
      contentType: options.contentType ?? (path.endsWith(".webm") ? "video/webm" : "video/mp4"),
      ...(options.title === undefined ? {} : { title: options.title })
    }
  })
  if (presigned.status !== 200) throw new Error(`presign answered ${presigned.status}: ${JSON.stringify(presigned.body)}`)
  const put = await fetch(presigned.body.uploadUrl, { method: "PUT", body })
  if (!put.ok) throw new Error(`PUT to storage answered ${put.status}: ${await put.text()}`)
  const complete = await apiAt(apiUrl, `/api/upload/${presigned.body.videoId}/complete`, { method: "POST", token: presigned.body.manageToken })
  return { videoId: presigned.body.videoId, manageToken: presigned.body.manageToken, completeStatus: complete.status }
}

/** Like support/http's api, against any API (tests run their own API processes too). */
export const apiAt = async (
  apiUrl: string,
  path: string,
  init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {}
) => {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
  if (init.json !== undefined) headers["content-type"] = "application/json"
  const response = await fetch(`${apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) })
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls GET /api/videos/:id until `done` holds for it; fails with the last state after the timeout. */
export const waitForVideo = async (
  videoId: string,
  done: (video: any) => boolean,
  options: { timeoutMs?: number; token?: string; intervalMs?: number; apiUrl?: string; onPoll?: (video: any) => void } = {}
): Promise<any> => {
  const deadline = Date.now() + (options.timeoutMs ?? 240_000)
  let last: any
  while (Date.now() < deadline) {
    const response = options.apiUrl === undefined
      ? await api(`/api/videos/${videoId}`, options.token === undefined ? {} : { token: options.token })
      : await apiAt(options.apiUrl, `/api/videos/${videoId}`, options.token === undefined ? {} : { token: options.token })
    last = response.body
    options.onPoll?.(last)
    if (response.status === 200 && done(last)) return last
    await sleep(options.intervalMs ?? 500)
  }
  throw new Error(`video ${videoId} did not reach the expected state in time; last seen: ${JSON.stringify(last)}`)
}

/** Waits for READY or FAILED, whichever comes. */
export const waitForOutcome = (videoId: string, options: Parameters<typeof waitForVideo>[2] = {}) =>
  waitForVideo(videoId, (video) => video.status === "READY" || video.status === "FAILED", options)

export const fileSize = async (path: string) => (await stat(path)).size

let client: Promise<{ client: Client; close: () => Promise<void> }> | undefined

/** A Temporal client for inspecting workflows; closed by the caller's afterAll. */
export const temporal = async () => {
  client ??= (async () => {
    const connection = await Connection.connect({ address: testEnv.temporalAddress })
    return { client: new Client({ connection, namespace: testEnv.temporalNamespace }), close: () => connection.close() }
  })()
  return client
}

/** Every workflow of a video, by its VideoId search attribute. */
export const workflowsOf = async (videoId: string) => {
  const { client } = await temporal()
  const found: Array<{ workflowId: string; type: string; status: string }> = []
  for await (const execution of client.workflow.list({ query: `VideoId="${videoId}"` })) {
    found.push({ workflowId: execution.workflowId, type: execution.type, status: execution.status.name })
  }
  return found
}
