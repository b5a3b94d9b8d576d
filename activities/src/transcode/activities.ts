import { ENCODE_PROGRESS_SIGNAL } from "@reelbase/workflows/transcode"
import type { ActivityRuntime } from "../Runtime.ts"
import type { SourceInfo } from "../ffmpeg/probe.ts"
import { runActivity } from "../temporal/runActivity.ts"
import { type AbandonedUploads, abortAbandonedUploads } from "../uploads/abortAbandonedUploads.ts"
import { type EncodedRendition, encodeLadder } from "./encodeLadder.ts"
import { markFailed, markProcessing, retireEarlyRendition } from "./lifecycle.ts"
import { makeThumbnail } from "./makeThumbnail.ts"
import { probeSource } from "./probeSource.ts"
import { publishEarly } from "./publishEarly.ts"
import { publishLadder } from "./publishLadder.ts"
import { stopTranscode } from "./stopTranscode.ts"

/** The VOD pipeline: upload → probe → early publish → thumbnail → ladder → READY (or FAILED), and its cleanups. */
export const transcodeActivities = (runtime: ActivityRuntime) => ({
  markProcessing: (videoId: string) => runActivity(runtime, markProcessing(videoId)),
  probeSource: (videoId: string) => runActivity(runtime, probeSource(videoId)),
  publishEarly: (videoId: string, source: SourceInfo) =>
    runActivity(runtime, publishEarly(videoId, source), { progressSignal: ENCODE_PROGRESS_SIGNAL }),
  makeThumbnail: (videoId: string, source: SourceInfo) => runActivity(runtime, makeThumbnail(videoId, source)),
  encodeLadder: (videoId: string, source: SourceInfo) =>
    runActivity(runtime, encodeLadder(videoId, source), { progressSignal: ENCODE_PROGRESS_SIGNAL }),
  publishLadder: (videoId: string, renditions: ReadonlyArray<EncodedRendition>, durationSeconds: number) =>
    runActivity(runtime, publishLadder(videoId, renditions, durationSeconds)),
  markFailed: (videoId: string, reason: string) => runActivity(runtime, markFailed(videoId, reason)),
  retireEarlyRendition: (videoId: string) => runActivity(runtime, retireEarlyRendition(videoId)),
  stopTranscode,
  abortAbandonedUploads: (options: AbandonedUploads) => runActivity(runtime, abortAbandonedUploads(options))
})
