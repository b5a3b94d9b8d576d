import { execFile } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { createWriteStream } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pipeline } from "node:stream/promises"
import { promisify } from "node:util"
import { checkOffer, LiveRepo, LiveStorageKeys, Storage, VideoId, VideoRepo } from "@reelbase/domain"
import type { LiveFailureType } from "@reelbase/workflows/shared"
import { ApplicationFailure, Context } from "@temporalio/activity"
import { WorkflowNotFoundError } from "@temporalio/common"
import { Effect, Option, Schedule } from "effect"
import type { ActivityRuntime } from "../Runtime.ts"
import { LIVE_SEGMENT_PATTERN } from "./ffmpegArgs.ts"
import { OfferRejected } from "./IngestPeer.ts"
import { type IngestSummary, IngestSession } from "./IngestSession.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"
import { liveObjectStore, PLAYLIST_CONTENT_TYPE } from "./LiveObjectStore.ts"
import { parseMediaPlaylist, type PlaylistSegment, segmentNumber, writeRecordingPlaylist } from "./playlist.ts"
import { SessionRegistry } from "./SessionRegistry.ts"

const run = promisify(execFile)

export interface OpenLiveIngestInput {
  readonly videoId: string
  readonly sessionId: string
  readonly offerSdp: string
}

export interface OpenLiveIngestResult {
  readonly answerSdp: string
  /** This worker's own task queue: the session's later activities must run here, where its peer is. */
  readonly hostQueue: string
}

export interface LiveSessionRef {
  readonly videoId: string
  readonly sessionId: string
}

export interface SealedLiveRecording {
  readonly outcome: "sealed" | "nothing-recorded" | "video-gone"
  readonly segments: number
  readonly durationSeconds: number
}

export interface LiveActivityOptions {
  readonly settings: LiveIngestSettings
  /** The task queue only this worker process polls. */
  readonly hostQueue: string
  readonly registry: SessionRegistry
}

/** A supervisor must take an answered session over within this long, or the session stops itself. */
const CLAIM_WITHIN_MS = 60_000
const HEARTBEAT_EVERY_MS = 1000

const fail = (type: LiveFailureType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true })

const log = (message: string) => console.log(message)

/**
 * The live session's activities. `openLiveIngest` runs on the shared queue and pins the session to whichever
 * worker ran it; `superviseLiveIngest` and `stopLiveIngest` run on that worker's own queue; `sealLiveRecording`
 * runs anywhere, from what is in the bucket, so it works even when the worker that held the peer is gone.
 */
export const createLiveActivities = (runtime: ActivityRuntime, options: LiveActivityOptions) => {
  const { settings, hostQueue, registry } = options
  const store = liveObjectStore(runtime)

  const goLive = async (videoId: string, firstSegmentPath: string) => {
    const id = VideoId.make(videoId)
    // Viewers find the stream through this row: keep trying through a database hiccup.
    await runtime.runPromise(
      LiveRepo.use((repo) => repo.markLive(id, LiveStorageKeys.livePlaylist(id))).pipe(
        Effect.retry({ schedule: Schedule.exponential("200 millis"), times: 6 })
      )
    )
    const thumbnail = join(tmpdir(), `reelbase-live-thumb-${videoId}-${Date.now()}.jpg`)
    try {
      await run(settings.ffmpegPath, ["-v", "error", "-i", firstSegmentPath, "-frames:v", "1", "-vf", "scale=640:-2", "-q:v", "4", "-y", thumbnail])
      await store.putFile(LiveStorageKeys.thumbnail(id), thumbnail, "image/jpeg")
      await runtime.runPromise(LiveRepo.use((repo) => repo.setThumbnail(id, LiveStorageKeys.thumbnail(id))))
    } catch (error) {
      log(`[live ${videoId}] no thumbnail: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      await rm(thumbnail, { force: true })
    }
  }

  async function openLiveIngest(input: OpenLiveIngestInput): Promise<OpenLiveIngestResult> {
    const video = await runtime.runPromise(VideoRepo.use((repo) => repo.findById(VideoId.make(input.videoId))))
    if (Option.isNone(video) || video.value.videoType !== "LIVE") throw fail("StreamNotFound", `No live stream with id ${input.videoId}`)
    if (video.value.status === "READY" || video.value.status === "FAILED") {
      throw fail("StreamEnded", "This live stream has ended; its recording is a video now. Create a new stream to go live again.")
    }
    const check = checkOffer(input.offerSdp)
    if (check._tag === "Invalid") throw fail("BadOffer", `Not a usable SDP offer: ${check.reason}`)
    let session: IngestSession
    try {
      session = await IngestSession.open(input, { settings, store, goLive, log })
    } catch (error) {
      if (error instanceof OfferRejected) throw fail("BadOffer", `Not a usable SDP offer: ${error.message}`)
      throw error
    }
    registry.add(session, CLAIM_WITHIN_MS)
    return { answerSdp: session.answerSdp, hostQueue }
  }

  async function superviseLiveIngest(ref: LiveSessionRef): Promise<IngestSummary> {
    const context = Context.current()
    const session = registry.claim(ref.sessionId)
    if (session === undefined) throw fail("SessionLost", `Session ${ref.sessionId} is not held by this worker`)
    const heartbeat = setInterval(() => context.heartbeat(session.progress()), HEARTBEAT_EVERY_MS)
    try {
      const cancelled = context.cancelled.then(() => undefined, (failure: unknown) => failure)
      const first = await Promise.race([session.ended.then((end) => ({ end })), cancelled.then((failure) => ({ failure }))])
      if ("failure" in first) {
        await session.stop("cancelled", "the session's workflow was cancelled or the worker is shutting down")
        throw first.failure
      }
      return await session.stop(first.end.reason, first.end.detail)
    } finally {
      clearInterval(heartbeat)
      registry.remove(ref.sessionId)
    }
  }

  /** The host's stop: ends the session in order; its supervisor then reports the summary. */
  async function stopLiveIngest(ref: LiveSessionRef): Promise<boolean> {
    const session = registry.find(ref.sessionId)
    if (session === undefined) return false
    void session.stop("stop-requested")
    return true
  }

  const readText = (key: string) =>
    runtime.runPromise(Effect.gen(function*() {
      const storage = yield* Storage
      if (Option.isNone(yield* storage.stat(key))) return undefined
      const readable = yield* storage.read(key)
      return yield* Effect.promise(async () => Buffer.concat(await readable.toArray()).toString("utf8"))
    }).pipe(Effect.orDie))

  /** A segment the recording playlist never named (the worker died before the next recording upload): probe it. */
  const probeStoredSegment = async (key: string): Promise<number> => {
    const dir = await mkdtemp(join(tmpdir(), "reelbase-live-probe-"))
    try {
      const file = join(dir, "segment.ts")
      const readable = await runtime.runPromise(Storage.use((storage) => storage.read(key)).pipe(Effect.orDie))
      await pipeline(readable, createWriteStream(file))
      const { stdout } = await run(settings.ffprobePath, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file])
      const duration = Number(stdout.trim())
      return Number.isFinite(duration) && duration > 0 ? duration : settings.segmentSeconds
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /**
   * Seals what the session stored as the replay: every segment in the bucket, in order, in a VOD playlist with
   * EXT-X-ENDLIST; the video becomes READY and no longer live. Works from storage alone, so it is the same
   * whether the session ended cleanly or its worker died. Idempotent.
   */
  async function sealLiveRecording(input: { readonly videoId: string }): Promise<SealedLiveRecording> {
    const id = VideoId.make(input.videoId)
    const objects = await runtime.runPromise(Storage.use((storage) => storage.list(LiveStorageKeys.prefix(id))).pipe(Effect.orDie))
    const stored = objects
      .map((object) => object.key.slice(LiveStorageKeys.prefix(id).length))
      .filter((name) => LIVE_SEGMENT_PATTERN.test(name))
      .sort((a, b) => segmentNumber(a) - segmentNumber(b))
    const recordingText = await readText(LiveStorageKeys.recording(id))
    const listed = recordingText === undefined ? [] : parseMediaPlaylist(recordingText).segments
    const known = new Set(listed.map((segment) => segment.uri))
    const segments: Array<PlaylistSegment> = listed.filter((segment) => stored.includes(segment.uri))
    for (const uri of stored.filter((name) => !known.has(name))) {
      Context.current().heartbeat()
      segments.push({ sequence: segmentNumber(uri), uri, durationSeconds: await probeStoredSegment(LiveStorageKeys.file(id, uri)), programDateTime: undefined })
    }
    segments.sort((a, b) => a.sequence - b.sequence)

    if (segments.length === 0) {
      const changed = await runtime.runPromise(LiveRepo.use((repo) => repo.backToWaiting(id)))
      return { outcome: changed ? "nothing-recorded" : "video-gone", segments: 0, durationSeconds: 0 }
    }
    await store.putText(LiveStorageKeys.recording(id), writeRecordingPlaylist(segments, true), PLAYLIST_CONTENT_TYPE)
    // Viewers still polling the live playlist (a worker died before ffmpeg could end it) learn the stream is over.
    const livePlaylist = await readText(LiveStorageKeys.livePlaylist(id))
    if (livePlaylist !== undefined && !parseMediaPlaylist(livePlaylist).ended) {
      await store.putText(LiveStorageKeys.livePlaylist(id), `${livePlaylist.trimEnd()}\n#EXT-X-ENDLIST\n`, PLAYLIST_CONTENT_TYPE)
    }
    const durationSeconds = Math.round(segments.reduce((sum, segment) => sum + segment.durationSeconds, 0) * 1000) / 1000
    const sealed = await runtime.runPromise(
      LiveRepo.use((repo) => repo.sealRecording(id, { manifestKey: LiveStorageKeys.recording(id), durationSeconds }))
    )
    return { outcome: sealed ? "sealed" : "video-gone", segments: segments.length, durationSeconds }
  }

  /** For deleteVideo: ends the video's live session, if one runs, and waits until it has stopped writing. */
  async function endLiveSession(input: { readonly workflowId: string }): Promise<boolean> {
    const context = Context.current()
    const handle = context.client.workflow.getHandle(input.workflowId)
    try {
      const description = await handle.describe()
      if (description.status.name !== "RUNNING") return false
      await handle.cancel()
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS)
      try {
        await handle.result().catch(() => undefined)
      } finally {
        clearInterval(heartbeat)
      }
      return true
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false
      throw error
    }
  }

  return { openLiveIngest, superviseLiveIngest, stopLiveIngest, sealLiveRecording, endLiveSession }
}

export type LiveActivities = ReturnType<typeof createLiveActivities>
