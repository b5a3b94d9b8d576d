// One PUT of bytes straight to storage (a presigned URL), reporting upload progress as it goes.
// XMLHttpRequest, because fetch still reports no upload progress.

export class UploadAborted extends Error {
  constructor() {
    super("The upload was paused")
    this.name = "UploadAborted"
  }
}

export class PutFailed extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
  /** Network errors and 5xx are worth retrying; 4xx (expired or refused URL) are not, as they are. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 408 || this.status === 429
  }
}

/** Resolves with the stored object's ETag (S3 exposes it to the site's origin), or "" when hidden. */
export const putWithProgress = (
  url: string,
  body: Blob,
  onProgress: (loadedBytes: number) => void,
  signal: AbortSignal
): Promise<string> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UploadAborted())
    const xhr = new XMLHttpRequest()
    xhr.open("PUT", url)
    xhr.upload.addEventListener("progress", (event) => onProgress(event.loaded))
    xhr.addEventListener("load", () => {
      signal.removeEventListener("abort", abort)
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size)
        resolve(xhr.getResponseHeader("ETag") ?? "")
      } else {
        reject(new PutFailed(xhr.status, `Storage refused the upload (${xhr.status})`))
      }
    })
    xhr.addEventListener("error", () => {
      signal.removeEventListener("abort", abort)
      reject(new PutFailed(0, "The connection to storage was lost"))
    })
    xhr.addEventListener("abort", () => reject(new UploadAborted()))
    const abort = () => xhr.abort()
    signal.addEventListener("abort", abort, { once: true })
    xhr.send(body)
  })
