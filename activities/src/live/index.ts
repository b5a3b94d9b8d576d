export { createLiveActivities, type LiveActivities, type LiveActivityOptions } from "./liveActivities.ts"
export { type LiveIngestSettings, loadLiveIngestSettings } from "./LiveIngestConfig.ts"
export { SessionRegistry } from "./SessionRegistry.ts"
