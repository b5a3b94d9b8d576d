import { testEnv } from "./env.ts"

export interface JsonResponse<A = any> {
  readonly status: number
  readonly headers: Headers
  readonly body: A
}

/** Calls the test stack's API and parses the JSON answer (if any). */
export const api = async <A = any>(
  path: string,
  init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {}
): Promise<JsonResponse<A>> => {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
  if (init.json !== undefined) headers["content-type"] = "application/json"
  const response = await fetch(`${testEnv.apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) })
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
}
