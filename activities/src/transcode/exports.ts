// What workflows, the API and tests may import from the VOD pipeline's activities: names and types only.
export type { SourceInfo } from "../ffmpeg/probe.ts"
export type { AbandonedUploads } from "../uploads/abortAbandonedUploads.ts"
export type { EncodedRendition } from "./encodeLadder.ts"
export type { EarlyPublish } from "./publishEarly.ts"
