// Sends a file's bytes straight to storage: one presigned PUT for small files, S3 multipart with presigned
// part URLs for large ones (three parts in flight, each retried), resuming from the parts already stored.
import { PutFailed, putWithProgress, UploadAborted } from "./putWithProgress.ts"
import { type PartRange, partRanges, partsToSend, type StoredPart, storedBytes } from "./uploadPlan.ts"

export interface UploadTarget {
  readonly videoId: string
  readonly manageToken: string
  /** A single PUT URL, or an S3 multipart upload to send parts to. */
  readonly single?: { readonly url: string }
  readonly multipart?: { readonly uploadId: string; readonly partSize: number }
}

/** The API calls the upload needs; the bytes themselves never pass through the API. */
export interface UploadBackend {
  partUrls(target: UploadTarget, partNumbers: ReadonlyArray<number>): Promise<ReadonlyMap<number, string>>
  storedParts(target: UploadTarget): Promise<ReadonlyArray<StoredPart>>
  /** A new single-PUT URL when the first one expired (a paused upload resumed hours later). */
  freshSingleUrl(target: UploadTarget): Promise<string>
}

export interface Progress {
  /** Bytes sent, counting parts still in flight. */
  readonly loaded: number
  readonly total: number
  /** Bytes safely in storage (finished parts): what a pause keeps. */
  readonly stored: number
}

const PARTS_IN_FLIGHT = 3
const URL_BATCH = 12
const MAX_ATTEMPTS = 5

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener("abort", () => {
      clearTimeout(timer)
      reject(new UploadAborted())
    }, { once: true })
  })

/** Retries what a flaky connection breaks; an expired URL (403) gets a fresh one first. */
const withRetries = async <A>(
  signal: AbortSignal,
  attempt: (refreshUrl: boolean) => Promise<A>
): Promise<A> => {
  let refresh = false
  for (let tries = 1; ; tries++) {
    try {
      return await attempt(refresh)
    } catch (error) {
      if (error instanceof UploadAborted || signal.aborted) throw new UploadAborted()
      const expired: boolean = error instanceof PutFailed && error.status === 403 && !refresh
      const retryable: boolean = expired || (error instanceof PutFailed && error.retryable)
      if (!retryable || tries >= MAX_ATTEMPTS) throw error
      refresh = expired
      await sleep(Math.min(1000 * 2 ** (tries - 1), 8000), signal)
    }
  }
}

export const uploadFile = async (
  file: File,
  target: UploadTarget,
  backend: UploadBackend,
  onProgress: (progress: Progress) => void,
  signal: AbortSignal
): Promise<void> => {
  const total = file.size
  if (target.multipart === undefined) {
    let url = target.single?.url ?? (await backend.freshSingleUrl(target))
    await withRetries(signal, async (refreshUrl) => {
      if (refreshUrl) url = await backend.freshSingleUrl(target)
      return putWithProgress(url, file, (loaded) => onProgress({ loaded, total, stored: loaded === total ? total : 0 }), signal)
    })
    return
  }

  // One failed part stops the others: the upload pauses as a whole and resumes as a whole.
  const stop = new AbortController()
  const onOuterAbort = () => stop.abort()
  signal.addEventListener("abort", onOuterAbort, { once: true })
  const partSignal = stop.signal

  const ranges = partRanges(total, target.multipart.partSize)
  const stored = await backend.storedParts(target)
  const queue = partsToSend(ranges, stored)
  let done = storedBytes(ranges, stored)
  const inFlight = new Map<number, number>()
  const report = () => {
    let loaded = done
    for (const bytes of inFlight.values()) loaded += bytes
    onProgress({ loaded, total, stored: done })
  }
  report()

  const urls = new Map<number, string>()
  const urlFor = async (range: PartRange, refresh: boolean): Promise<string> => {
    if (refresh || !urls.has(range.partNumber)) {
      // Ask for a batch at once: one API call per dozen parts, not per part.
      const batch = [range, ...queue.slice(0, URL_BATCH - 1)].map((r) => r.partNumber)
      for (const [partNumber, url] of await backend.partUrls(target, batch)) urls.set(partNumber, url)
    }
    const url = urls.get(range.partNumber)
    if (url === undefined) throw new Error(`No upload URL for part ${range.partNumber}`)
    return url
  }

  const sendPart = async (range: PartRange) => {
    const blob = file.slice(range.start, range.end)
    await withRetries(partSignal, async (refresh) => {
      const url = await urlFor(range, refresh)
      inFlight.set(range.partNumber, 0)
      return putWithProgress(url, blob, (loaded) => {
        inFlight.set(range.partNumber, loaded)
        report()
      }, partSignal)
    }).finally(() => inFlight.delete(range.partNumber))
    urls.delete(range.partNumber)
    done += range.end - range.start
    report()
  }

  const worker = async () => {
    for (let range = queue.shift(); range !== undefined; range = queue.shift()) {
      if (partSignal.aborted) throw new UploadAborted()
      await sendPart(range)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, queue.length) }, () =>
      worker().catch((error: unknown) => {
        stop.abort()
        throw error
      })))
  } finally {
    signal.removeEventListener("abort", onOuterAbort)
  }
}
