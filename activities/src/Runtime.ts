import { DatabaseLayer, LiveRepo, Storage, VideoRepo, ViewsRepo } from "@reelbase/domain"
import { Layer, ManagedRuntime } from "effect"

/** The services activities run their Effect programs against. */
export const ActivityServicesLayer = Layer.mergeAll(VideoRepo.layer, ViewsRepo.layer, LiveRepo.layer).pipe(
  Layer.provideMerge(DatabaseLayer),
  Layer.merge(Storage.layer)
)

export type ActivityRuntime = ManagedRuntime.ManagedRuntime<
  Layer.Success<typeof ActivityServicesLayer>,
  Layer.Error<typeof ActivityServicesLayer>
>

export const makeActivityRuntime = (): ActivityRuntime => ManagedRuntime.make(ActivityServicesLayer)
