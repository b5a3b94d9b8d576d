import { stat } from "node:fs/promises"
import { join } from "node:path"
import { ProcessingRepo, Storage, StorageKeys, type VideoId } from "@reelbase/domain"
import { Effect } from "effect"
import { thumbnailArgs } from "../ffmpeg/args.ts"
import { Ffmpeg } from "../ffmpeg/Ffmpeg.ts"
import type { SourceInfo } from "../ffmpeg/probe.ts"
import { VideoGone } from "./errors.ts"
import { sourceUrl } from "./sourceUrl.ts"
import { workDir } from "./workDir.ts"

/** A tenth into the video (past fades from black), at most ten seconds in. */
export const posterInstant = (durationSeconds: number): number => Math.min(durationSeconds * 0.1, 10)

/** The poster JPEG, stored at videos/<id>/thumbnail.jpg and recorded on the video. */
export const makeThumbnail = Effect.fn("transcode.makeThumbnail")(function*(videoId: string, source: SourceInfo) {
  const ffmpeg = yield* Ffmpeg
  const storage = yield* Storage
  const repo = yield* ProcessingRepo
  const dir = yield* workDir
  const output = join(dir, "thumbnail.jpg")
  const url = yield* sourceUrl(videoId)
  yield* ffmpeg.run(thumbnailArgs(url, posterInstant(source.durationSeconds), output))
  // Seeking can land past the last decodable picture of an odd file: the first picture then does.
  const written = yield* Effect.promise(() => stat(output).then((info) => info.size > 0, () => false))
  if (!written) yield* ffmpeg.run(thumbnailArgs(url, 0, output))
  yield* storage.putFile(StorageKeys.thumbnail(videoId), output, "image/jpeg").pipe(Effect.uninterruptible)
  if (!(yield* repo.setThumbnail(videoId as VideoId, StorageKeys.thumbnail(videoId)))) return yield* new VideoGone({ videoId })
  return StorageKeys.thumbnail(videoId)
}, Effect.scoped)
