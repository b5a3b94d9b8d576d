import { Storage, StorageKeys } from "@reelbase/domain"
import { Effect, Option } from "effect"
import { frameCheckArgs, probeArgs } from "../ffmpeg/args.ts"
import { Ffmpeg, FfmpegFailed } from "../ffmpeg/Ffmpeg.ts"
import { judgeProbe, type SourceInfo, unreadableReason } from "../ffmpeg/probe.ts"
import { InvalidMedia } from "./errors.ts"
import { sourceUrl } from "./sourceUrl.ts"

/** ffprobe's words for "could not reach the file", as opposed to "could not make sense of it". */
const UNREACHABLE = /Connection refused|Connection reset|timed out|Server returned 5\d\d|Input\/output error|Network is unreachable|Failed to resolve/i

/** Whether a picture can be decoded at this instant; a truncated file has none near its end. */
const decodesFrameAt = Effect.fn("transcode.decodesFrameAt")(function*(url: string, atSeconds: number) {
  const ffmpeg = yield* Ffmpeg
  // Progress blocks carry the count of decoded frames.
  const finished = yield* ffmpeg.run(frameCheckArgs(url, atSeconds), { onProgress: () => Effect.void }).pipe(
    Effect.map(Option.some),
    // Exit code != 0 on a damaged file is an answer, not an outage...
    Effect.catchTag("FfmpegFailed", (failure) =>
      // ...unless storage could not be reached.
      UNREACHABLE.test(failure.stderr) || failure.exitCode === null ? Effect.fail(failure) : Effect.succeed(Option.none()))
  )
  return Option.match(finished, { onNone: () => false, onSome: (run) => (run.lastProgress?.frame ?? 0) > 0 })
})

/**
 * Reads what the upload is and proves it decodes at its start and near its end. A file that is empty, not a
 * video, damaged or truncated, or of absurd dimensions fails with InvalidMedia and a reason its owner can read.
 */
export const probeSource = Effect.fn("transcode.probeSource")(function*(videoId: string) {
  const storage = yield* Storage
  const ffmpeg = yield* Ffmpeg
  const original = yield* storage.stat(StorageKeys.original(videoId))
  if (Option.isNone(original)) return yield* new InvalidMedia({ reason: "The uploaded file is missing from storage" })
  if (original.value.size === 0) return yield* new InvalidMedia({ reason: "The file is empty (0 bytes)" })

  const url = yield* sourceUrl(videoId)
  const probed = yield* ffmpeg.probe(probeArgs(url))
  if (probed.exitCode !== 0) {
    if (UNREACHABLE.test(probed.stderr)) {
      return yield* new FfmpegFailed({ message: `ffprobe could not read the upload: ${probed.stderr}`, program: "ffprobe", exitCode: probed.exitCode, stderr: probed.stderr })
    }
    return yield* new InvalidMedia({ reason: unreadableReason(probed.stderr) })
  }
  const verdict = judgeProbe(yield* Effect.try({ try: () => JSON.parse(probed.stdout) as unknown, catch: () => new InvalidMedia({ reason: "The file could not be read as a video" }) }))
  if (verdict._tag === "Unusable") return yield* new InvalidMedia({ reason: verdict.reason })
  const source: SourceInfo = verdict.source

  const endCheckAt = Math.max(0, source.durationSeconds - 1)
  if (!(yield* decodesFrameAt(url, 0))) {
    return yield* new InvalidMedia({ reason: "The video is damaged: not even its first picture can be decoded" })
  }
  if (endCheckAt > 0 && !(yield* decodesFrameAt(url, endCheckAt))) {
    return yield* new InvalidMedia({
      reason: `The file is truncated or damaged: it announces ${source.durationSeconds.toFixed(1)} s but no picture decodes near its end`
    })
  }
  return source
})
