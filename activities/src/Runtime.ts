import { DatabaseLayer, LiveRepo, MultipartUploads, ProcessingRepo, Storage, VideoRepo, ViewsRepo } from "@reelbase/domain"
import { Layer, ManagedRuntime } from "effect"
import { Ffmpeg } from "./ffmpeg/Ffmpeg.ts"

/** The services activities run their Effect programs against. */
export const ActivityServicesLayer = Layer.mergeAll(VideoRepo.layer, ViewsRepo.layer, LiveRepo.layer, ProcessingRepo.layer).pipe(
  Layer.provideMerge(DatabaseLayer),
  Layer.merge(MultipartUploads.layer.pipe(Layer.provideMerge(Storage.layer))),
  Layer.merge(Ffmpeg.layer)
)

export type ActivityServices = Layer.Success<typeof ActivityServicesLayer>

export type ActivityRuntime = ManagedRuntime.ManagedRuntime<
  Layer.Success<typeof ActivityServicesLayer>,
  Layer.Error<typeof ActivityServicesLayer>
>

export const makeActivityRuntime = (): ActivityRuntime => ManagedRuntime.make(ActivityServicesLayer)
