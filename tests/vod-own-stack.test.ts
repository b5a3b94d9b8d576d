// Tests that need an api and workers of their own (on a private task queue): a worker SIGKILLed mid-encode,
// and the limits of the streamed form upload.
import { randomUUID } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { clip, decodeAll } from "./support/clips.ts"
import { sql } from "./support/db.ts"
import { type OwnProcess, type OwnStack, startOwnStack } from "./support/ownStack.ts"
import { temporal, uploadViaPresign, waitForOutcome } from "./support/vod.ts"

const MiB = 1024 * 1024
const FORM_LIMIT = 160 * MiB
let own: OwnStack

beforeAll(async () => {
  own = await startOwnStack({ workers: 2, apiEnv: { MAX_UPLOAD_BYTES: String(FORM_LIMIT) } })
}, 300_000)

afterAll(async () => {
  await own?.stop()
  await (await temporal()).close()
}, 120_000)

/** Live (not zombie) processes whose command line mentions `text`. */
const processesMentioning = (text: string): Array<number> =>
  readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8")
      const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0]
      return cmdline.includes(text) && state !== "Z" ? [Number(pid)] : []
    } catch {
      return []
    }
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe("a worker killed during the encode", () => {
  it("loses its attempt (and its ffmpeg); another worker retries it and the video still ends READY", async () => {
    const { videoId } = await uploadViaPresign(await clip({ seconds: 40, width: 1280, height: 720 }), { apiUrl: own.apiUrl })
    const { client } = await temporal()
    const handle = client.workflow.getHandle(`transcode-${videoId}`)

    // Wait until one of our workers runs the ladder encode, then kill that worker outright.
    let victim: OwnProcess | undefined
    const deadline = Date.now() + 240_000
    while (victim === undefined && Date.now() < deadline) {
      const encode = (await handle.describe()).raw.pendingActivities?.find((activity) => activity.activityType?.name === "encodeLadder")
      const pid = Number(encode?.lastWorkerIdentity?.split("@")[0])
      victim = processesMentioning(`uploads/${videoId}/original`).length > 0 ? own.workers.find((worker) => worker.child.pid === pid) : undefined
      if (victim === undefined) await sleep(200)
    }
    expect(victim, "no worker was seen encoding").toBeDefined()
    const survivor = own.workers.find((worker) => worker !== victim)!
    const exited = new Promise<NodeJS.Signals | null>((resolve) => victim!.child.once("exit", (_, signal) => resolve(signal)))
    // The worker process alone, as when it crashes: its ffmpeg is not sent anything.
    victim!.child.kill("SIGKILL")
    expect(await exited).toBe("SIGKILL")

    // Its ffmpeg dies with it (parent-death signal) instead of encoding on as an orphan.
    await sleep(3000)
    expect(processesMentioning(`uploads/${videoId}/original`)).toEqual([])

    const video = await waitForOutcome(videoId, { apiUrl: own.apiUrl, timeoutMs: 400_000 })
    expect(video.failureReason).toBeNull()
    expect(video.status).toBe("READY")
    expect(video.variants.map((variant: any) => variant.resolution)).toEqual(["720p", "480p", "360p"])
    expect(await decodeAll(`${own.apiUrl}/api/media/videos/${videoId}/720p/index.m3u8`)).toBeGreaterThanOrEqual(1190)

    // The encode ran again, on the surviving worker, after the first attempt's heartbeats stopped.
    const events = (await handle.fetchHistory()).events ?? []
    const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === "encodeLadder")!
    const started = events.find((event) => String(event.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled.eventId))!
    expect(started.activityTaskStartedEventAttributes!.attempt).toBeGreaterThanOrEqual(2)
    expect(started.activityTaskStartedEventAttributes!.identity!.split("@")[0]).toBe(String(survivor.child.pid))
    // The dead worker's temp folder was swept by the survivor.
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`reelbase-transcode-${victim!.child.pid}-`))).toEqual([])
  })
})

describe("the streamed form upload", () => {
  /** Peak resident memory of a process so far, bytes. */
  const peakMemory = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024

  const postForm = (form: FormData) => fetch(`${own.apiUrl}/api/upload/form`, { method: "POST", body: form })

  it("never holds the file whole: the API's peak memory grows far less than the file", async () => {
    const apiPid = own.api.child.pid!
    const before = peakMemory(apiPid)
    const size = 150 * MiB
    const title = `form-memory-${randomUUID()}`
    const form = new FormData()
    form.append("title", title)
    // Not a playable video (the transcode will say so); what matters here is how the bytes travel.
    form.append("file", new File([new Uint8Array(size).fill(7)], "big.mp4", { type: "video/mp4" }))
    const response = await postForm(form)
    expect(response.status).toBe(201)
    const { videoId } = await response.json()
    const [row] = await sql<{ originalSize: bigint }>`SELECT original_size FROM videos WHERE id = ${videoId}`
    expect(row!.originalSize).toBe(BigInt(size))
    expect(peakMemory(apiPid) - before).toBeLessThan(size / 2)
  })

  it("stops a file over MAX_UPLOAD_BYTES with 413, keeping nothing", async () => {
    const title = `form-too-large-${randomUUID()}`
    const form = new FormData()
    form.append("title", title)
    form.append("file", new File([new Uint8Array(FORM_LIMIT + MiB)], "huge.mp4", { type: "video/mp4" }))
    const response = await postForm(form)
    expect(response.status).toBe(413)
    expect((await response.json()).message).toBe(`The file is larger than the limit of ${FORM_LIMIT} bytes`)
    expect(await sql`SELECT id FROM videos WHERE title = ${title}`).toEqual([])
  })
})
