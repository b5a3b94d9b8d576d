import type { Video, VideoId } from "@reelbase/domain"
import type { transcodeVideo } from "@reelbase/workflows"
import { videoSearchAttributes, workflowIds } from "@reelbase/workflows/shared"
import { TRANSCODE_PROGRESS_QUERY, type TranscodeInput, type TranscodeProgress } from "@reelbase/workflows/transcode"
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from "@temporalio/client"
import { Context, Duration, Effect, Layer, Option } from "effect"
import { ApiConfig } from "./Config.ts"
import { Temporal, type TemporalError } from "./Temporal.ts"

/** A progress query waits no longer than this: a page load must not hang on a busy worker. */
const PROGRESS_DEADLINE = Duration.seconds(2)

/** The API's side of the transcode workflow: starting it exactly once, and asking it how far it is. */
export class Transcodes extends Context.Service<Transcodes, {
  /**
   * Starts workflow transcode-<videoId>. A running one is reused and a finished one is never run again,
   * so any number of calls (double clicks, retries, races) make one transcode.
   */
  start(video: Video): Effect.Effect<void, TemporalError>
  /** 0..1 from the running workflow's progress query; None when it does not answer in time. */
  progress(videoId: VideoId): Effect.Effect<Option.Option<number>>
}>()("@reelbase/api/Transcodes") {
  static readonly layer = Layer.effect(
    Transcodes,
    Effect.gen(function*() {
      const temporal = yield* Temporal
      const { taskQueue } = yield* ApiConfig

      const start = Effect.fn("Transcodes.start")((video: Video) =>
        temporal.use("startTranscode", async (client) => {
          try {
            await client.workflow.start("transcodeVideo" satisfies typeof transcodeVideo["name"], {
              workflowId: workflowIds.transcode(video.id),
              taskQueue,
              args: [{ videoId: video.id } satisfies TranscodeInput],
              workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
              workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
              typedSearchAttributes: videoSearchAttributes(video.id, video.videoType)
            })
          } catch (error) {
            // A closed transcode of this video exists: it already ran, and must not run twice.
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
          }
        })
      )

      const progress = Effect.fn("Transcodes.progress")((videoId: VideoId) =>
        temporal.use("queryTranscodeProgress", (client) =>
          client.workflow.getHandle(workflowIds.transcode(videoId)).query<TranscodeProgress>(TRANSCODE_PROGRESS_QUERY)).pipe(
            Effect.timeout(PROGRESS_DEADLINE),
            Effect.map((answer) => Option.some(Math.min(1, Math.max(0, answer.fraction)))),
            Effect.orElseSucceed(() => Option.none<number>())
          )
      )

      return Transcodes.of({ start, progress })
    })
  )
}
