// The browser's calls to the API, at the public URL the server render put in a data attribute.

export class ApiRequestError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

export interface RequestOptions {
  readonly method?: string
  readonly token?: string | undefined
  readonly json?: unknown
  readonly signal?: AbortSignal
}

/** The API's error message (`{message}`), or a plain sentence naming the status. */
export const errorFrom = async (response: Response): Promise<ApiRequestError> => {
  const body = (await response.json().catch(() => ({}))) as { message?: unknown }
  const message = typeof body.message === "string" && body.message !== ""
    ? body.message
    : `The server answered ${response.status} ${response.statusText}`.trim()
  return new ApiRequestError(response.status, message)
}

export const apiFetch = async (apiUrl: string, path: string, options: RequestOptions = {}): Promise<Response> => {
  const headers: Record<string, string> = {}
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  if (options.json !== undefined) headers["content-type"] = "application/json"
  let response: Response
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method: options.method ?? "GET",
      headers,
      ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
      ...(options.signal === undefined ? {} : { signal: options.signal })
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause
    throw new ApiRequestError(0, "Can't reach the server. Check your connection and try again.")
  }
  if (!response.ok) throw await errorFrom(response)
  return response
}

export const apiJson = async <A>(apiUrl: string, path: string, options: RequestOptions = {}): Promise<A> => {
  const response = await apiFetch(apiUrl, path, options)
  return (response.status === 204 ? undefined : await response.json()) as A
}
