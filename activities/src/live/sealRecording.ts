import { createWriteStream } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pipeline } from "node:stream/promises"
import { LiveRepo, LiveStorageKeys, Storage, VideoId } from "@reelbase/domain"
import { Context } from "@temporalio/activity"
import { Effect, Option } from "effect"
import type { ActivityRuntime } from "../Runtime.ts"
import { LIVE_SEGMENT_PATTERN } from "./ffmpegArgs.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"
import { type LiveObjectStore, PLAYLIST_CONTENT_TYPE } from "./LiveObjectStore.ts"
import { parseMediaPlaylist, type PlaylistSegment, segmentNumber, writeRecordingPlaylist } from "./playlist.ts"
import { run } from "./run.ts"

export interface SealedLiveRecording {
  readonly outcome: "sealed" | "nothing-recorded" | "video-gone"
  readonly segments: number
  readonly durationSeconds: number
}

/**
 * Seals what a session stored as the replay: every segment in the bucket, in order, in a VOD playlist with
 * EXT-X-ENDLIST; the video becomes READY and no longer live. It works from storage alone, so it is the same
 * whether the session ended cleanly or its worker died; running it again changes nothing.
 */
export const makeSealLiveRecording = (runtime: ActivityRuntime, settings: LiveIngestSettings, store: LiveObjectStore) => {
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
    const present = new Set(stored)
    const segments: Array<PlaylistSegment> = listed.filter((segment) => present.has(segment.uri))
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

  return sealLiveRecording
}
