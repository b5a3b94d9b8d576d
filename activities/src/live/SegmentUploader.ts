import { type FSWatcher, watch } from "node:fs"
import { readFile, rm } from "node:fs/promises"
import { join } from "node:path"
import { LiveStorageKeys } from "@reelbase/domain"
import { LIVE_PLAYLIST_NAME } from "./ffmpegArgs.ts"
import { type LiveObjectStore, PLAYLIST_CONTENT_TYPE, SEGMENT_CONTENT_TYPE } from "./LiveObjectStore.ts"
import { parseMediaPlaylist, type PlaylistSegment, writeRecordingPlaylist } from "./playlist.ts"

export interface UploaderOptions {
  readonly videoId: string
  /** Where ffmpeg writes the playlist and segments. */
  readonly dir: string
  readonly store: LiveObjectStore
  readonly segmentSeconds: number
  /** The growing recording playlist is re-uploaded every this many segments (and at the end). */
  readonly recordingEvery: number
  /** Runs once, after the first playlist is in the bucket: the stream is watchable from now on. Errors are logged. */
  readonly onFirstPlaylist: (firstSegmentPath: string) => Promise<void>
  readonly log: (message: string) => void
}

export interface UploadSummary {
  readonly segments: number
  readonly durationSeconds: number
}

const POLL_MS = 100
const FLUSH_ATTEMPTS = 10

/**
 * Mirrors ffmpeg's HLS output into the bucket as it appears: every new segment first, then the playlist that
 * names it, so a viewer never fetches a playlist pointing at a segment that is not there yet. It also keeps the
 * list of every segment so far and uploads it as the recording playlist, which is what survives the session.
 * Local segment files go once they are stored.
 */
export class SegmentUploader {
  private readonly recorded: Array<PlaylistSegment> = []
  private lastSequence = -1
  private lastPlaylist = ""
  private recordingSize = 0
  private live = false
  private watcher: FSWatcher | undefined
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false

  private readonly options: UploaderOptions

  constructor(options: UploaderOptions) {
    this.options = options
  }

  start(): void {
    // inotify reports ffmpeg's renames at once; the timer covers filesystems where it does not.
    this.watcher = watch(this.options.dir, () => this.poke())
    this.watcher.on("error", () => {})
    this.timer = setInterval(() => this.poke(), POLL_MS)
  }

  get segmentsStored(): number {
    return this.recorded.length
  }

  private poke(): void {
    if (this.running !== undefined) {
      this.again = true
      return
    }
    this.running = this.pass()
      .catch((error) => this.options.log(`upload pass failed, retrying: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined
        if (this.again) {
          this.again = false
          this.poke()
        }
      })
  }

  private async pass(): Promise<void> {
    const { dir, store, videoId } = this.options
    let text: string
    try {
      text = await readFile(join(dir, LIVE_PLAYLIST_NAME), "utf8")
    } catch {
      return
    }
    if (text === this.lastPlaylist) return
    const playlist = parseMediaPlaylist(text)
    const fresh = playlist.segments.filter((segment) => segment.sequence > this.lastSequence)
    const first = fresh[0]
    if (first !== undefined && first.sequence > this.lastSequence + 1) {
      // Uploads fell so far behind that segments left ffmpeg's window unseen; their files are still here.
      for (let sequence = this.lastSequence + 1; sequence < first.sequence; sequence++) {
        const uri = `seg_${String(sequence).padStart(6, "0")}.ts`
        this.options.log(`segment ${uri} left the live window before upload; recording it with an estimated duration`)
        await this.storeSegment({ sequence, uri, durationSeconds: this.options.segmentSeconds, programDateTime: undefined })
      }
    }
    for (const segment of fresh) await this.storeSegment(segment)
    await store.putText(LiveStorageKeys.livePlaylist(videoId), text, PLAYLIST_CONTENT_TYPE)
    this.lastPlaylist = text
    if (!this.live && first !== undefined) {
      this.live = true
      // Before the segment's local file goes: the hook may take a thumbnail from it.
      await this.options.onFirstPlaylist(join(dir, first.uri)).catch((error) =>
        this.options.log(`going live failed: ${error instanceof Error ? error.message : String(error)}`)
      )
    }
    await Promise.all(fresh.map((segment) => rm(join(dir, segment.uri), { force: true })))
    if (this.recorded.length - this.recordingSize >= this.options.recordingEvery) await this.storeRecording()
  }

  private async storeSegment(segment: PlaylistSegment): Promise<void> {
    const { dir, store, videoId } = this.options
    await store.putFile(LiveStorageKeys.file(videoId, segment.uri), join(dir, segment.uri), SEGMENT_CONTENT_TYPE)
    this.recorded.push(segment)
    this.lastSequence = segment.sequence
  }

  private async storeRecording(): Promise<void> {
    const size = this.recorded.length
    await this.options.store.putText(
      LiveStorageKeys.recording(this.options.videoId),
      writeRecordingPlaylist(this.recorded, false),
      PLAYLIST_CONTENT_TYPE
    )
    this.recordingSize = size
  }

  private stopWatching(): void {
    this.watcher?.close()
    clearInterval(this.timer)
  }

  /** For a session that never received media: whatever ffmpeg wrote holds nothing and is not stored. */
  async discard(): Promise<void> {
    this.stopWatching()
    await this.running
  }

  /** After ffmpeg has exited: stores what is left, including the final playlist and the recording. */
  async flush(): Promise<UploadSummary> {
    this.stopWatching()
    await this.running
    for (let attempt = 1; ; attempt++) {
      try {
        await this.pass()
        if (this.recorded.length > 0) await this.storeRecording()
        break
      } catch (error) {
        if (attempt >= FLUSH_ATTEMPTS) throw error
        this.options.log(`final upload failed (attempt ${attempt}), retrying: ${error instanceof Error ? error.message : String(error)}`)
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt))
      }
    }
    return {
      segments: this.recorded.length,
      durationSeconds: this.recorded.reduce((sum, segment) => sum + segment.durationSeconds, 0)
    }
  }
}
