import { Config } from "effect"

/** Everything the worker reads from its environment, read once at start. */
export const WorkerConfig = Config.all({
  temporalAddress: Config.String("TEMPORAL_ADDRESS").pipe(Config.withDefault("127.0.0.1:7233")),
  namespace: Config.String("TEMPORAL_NAMESPACE").pipe(Config.withDefault("default")),
  taskQueue: Config.String("TEMPORAL_TASK_QUEUE").pipe(Config.withDefault("media")),
  /** A bundle prebuilt by `npm run build`; without it the worker bundles the workflows at start. */
  workflowBundlePath: Config.String("WORKFLOW_BUNDLE_PATH").pipe(Config.option),
  maxConcurrentActivities: Config.Int("WORKER_MAX_CONCURRENT_ACTIVITIES").pipe(Config.withDefault(8)),
  manageSchedules: Config.Boolean("WORKER_MANAGE_SCHEDULES").pipe(Config.withDefault(true)),
  /** Where the worker writes its state for container healthchecks; unset turns it off. */
  healthFile: Config.String("WORKER_HEALTH_FILE").pipe(Config.option)
})
