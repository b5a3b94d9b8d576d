import { Context, Effect } from "effect"

/**
 * What an activity's Effect program may tell Temporal while it runs: that it is alive (heartbeat), and how
 * far the work has come (progress, passed on to the workflow for its progress query).
 */
export class ActivityControl extends Context.Service<ActivityControl, {
  readonly heartbeat: Effect.Effect<void>
  /** 0..1 of this activity's work. */
  progress(fraction: number): Effect.Effect<void>
}>()("@reelbase/activities/ActivityControl") {}
