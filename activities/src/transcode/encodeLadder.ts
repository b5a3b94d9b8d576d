import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { StorageKeys } from "@reelbase/domain"
import { Effect } from "effect"
import { ladderArgs } from "../ffmpeg/args.ts"
import { Ffmpeg } from "../ffmpeg/Ffmpeg.ts"
import { planLadder } from "../ffmpeg/ladder.ts"
import type { SourceInfo } from "../ffmpeg/probe.ts"
import type { Bandwidth } from "../hls/playlists.ts"
import { ActivityControl } from "../temporal/ActivityControl.ts"
import { InvalidMedia } from "./errors.ts"
import { sourceUrl } from "./sourceUrl.ts"
import { uploadRendition } from "./uploadRendition.ts"
import { workDir } from "./workDir.ts"

export interface EncodedRendition {
  readonly name: string
  readonly width: number
  readonly height: number
  readonly frameRate: number
  readonly codecs: string
  readonly bandwidth: Bandwidth
  /** Key of the rendition's media playlist. */
  readonly playlistKey: string
  readonly sizeBytes: number
}

/** Share of the activity's progress spent encoding; the rest is the upload. */
const ENCODE_SHARE = 0.9

/** A file whose streams end this much before its announced duration is truncated or damaged. */
const MIN_DECODED_SHARE = 0.9

/**
 * Encodes the whole ladder in one ffmpeg process (see ladderArgs), then uploads each rendition under
 * videos/<id>/<rendition>/. Heartbeats carry the progress; cancellation kills ffmpeg and removes the temp folder.
 */
export const encodeLadder = Effect.fn("transcode.encodeLadder")(function*(videoId: string, source: SourceInfo) {
  const ffmpeg = yield* Ffmpeg
  const control = yield* ActivityControl
  const plan = planLadder(source)
  const dir = yield* workDir
  yield* Effect.promise(() => Promise.all(plan.renditions.map((rendition) => mkdir(join(dir, rendition.name), { recursive: true }))))

  const finished = yield* ffmpeg.run(ladderArgs(yield* sourceUrl(videoId), plan, dir), {
    onProgress: (report) => control.progress(Math.min(1, report.outTimeSeconds / source.durationSeconds) * ENCODE_SHARE)
  })
  const decoded = finished.lastProgress?.outTimeSeconds ?? 0
  if (decoded < source.durationSeconds * MIN_DECODED_SHARE) {
    return yield* new InvalidMedia({
      reason: `The file is truncated or damaged: only ${decoded.toFixed(1)} s of its ${source.durationSeconds.toFixed(1)} s could be decoded`
    })
  }

  const encoded: Array<EncodedRendition> = []
  for (const rendition of plan.renditions) {
    const uploaded = yield* uploadRendition(join(dir, rendition.name), `${StorageKeys.videoPrefix(videoId)}${rendition.name}/`)
    encoded.push({
      name: rendition.name,
      width: rendition.width,
      height: rendition.height,
      frameRate: plan.frameRateValue,
      codecs: rendition.codecs,
      bandwidth: uploaded.bandwidth,
      playlistKey: uploaded.playlistKey,
      sizeBytes: uploaded.sizeBytes
    })
    yield* control.progress(ENCODE_SHARE + (1 - ENCODE_SHARE) * (encoded.length / plan.renditions.length))
  }
  return encoded
}, Effect.scoped)
