import { rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { LiveRepo, LiveStorageKeys, VideoId } from "@reelbase/domain"
import { Effect, Schedule } from "effect"
import type { ActivityRuntime } from "../Runtime.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"
import type { LiveObjectStore } from "./LiveObjectStore.ts"
import { run } from "./run.ts"

/**
 * The moment a stream becomes watchable (its first playlist is stored): the video goes LIVE with the live
 * playlist as its manifest, and gets a thumbnail from the first segment (best effort).
 */
export const makeGoLive = (runtime: ActivityRuntime, settings: LiveIngestSettings, store: LiveObjectStore) =>
  async (videoId: string, firstSegmentPath: string): Promise<void> => {
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
      console.log(`[live ${videoId}] no thumbnail: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      await rm(thumbnail, { force: true })
    }
  }
