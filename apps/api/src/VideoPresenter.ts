import type { Video, VideoVariant } from "@reelbase/domain"
import { Context, Effect, Layer } from "effect"
import { VariantJson, VideoDetailJson, VideoJson } from "./api/Videos.ts"
import { ApiConfig } from "./Config.ts"
import { MediaUrls } from "./MediaUrls.ts"

/** Turns database rows into the JSON the API promises (URLs instead of storage keys, ISO dates). */
export class VideoPresenter extends Context.Service<VideoPresenter, {
  summary(video: Video): VideoJson
  detail(video: Video, variants: ReadonlyArray<VideoVariant>, progress: number | null): VideoDetailJson
}>()("@reelbase/api/VideoPresenter") {
  static readonly layer = Layer.effect(
    VideoPresenter,
    Effect.gen(function*() {
      const urls = yield* MediaUrls
      const { temporalUiUrl, temporalNamespace } = yield* ApiConfig

      const summary = (video: Video) =>
        new VideoJson({
          id: video.id,
          title: video.title,
          description: video.description,
          status: video.status,
          visibility: video.visibility,
          videoType: video.videoType,
          durationSeconds: video.durationSeconds,
          thumbnailUrl: urls.url(video, video.thumbnailKey),
          hlsUrl: urls.url(video, video.hlsManifestKey),
          isLiveNow: video.isLiveNow,
          viewsToday: video.viewsToday,
          viewsMonth: video.viewsMonth,
          viewsTotal: video.viewsTotal,
          failureReason: video.failureReason,
          createdAt: video.createdAt.toISOString(),
          updatedAt: video.updatedAt.toISOString()
        })

      const workflowsUrl = (video: Video) =>
        `${temporalUiUrl}/namespaces/${encodeURIComponent(temporalNamespace)}/workflows?query=${
          encodeURIComponent(`VideoId="${video.id}"`)
        }`

      const detail = (video: Video, variants: ReadonlyArray<VideoVariant>, progress: number | null) =>
        new VideoDetailJson({
          ...summary(video),
          variants: variants.map((variant) =>
            new VariantJson({
              resolution: variant.resolution,
              width: variant.width,
              height: variant.height,
              bitrate: variant.bitrate,
              codec: variant.codec,
              format: variant.format,
              sizeBytes: variant.sizeBytes
            })
          ),
          progress,
          workflowsUrl: workflowsUrl(video)
        })

      return VideoPresenter.of({ summary, detail })
    })
  )
}
