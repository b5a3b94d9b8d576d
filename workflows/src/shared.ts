// Names and types shared by workflows, activities, the worker and the API's client.
// Safe inside the workflow sandbox: no Node built-ins, no Effect.
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from "@temporalio/common"

/** The task queue every worker polls for media work (transcodes, deletions, resets). */
export const MEDIA_TASK_QUEUE = "media"

export const workflowIds = {
  transcode: (videoId: string) => `transcode-${videoId}`,
  live: (videoId: string) => `live-${videoId}`,
  deleteVideo: (videoId: string) => `delete-${videoId}`,
  resetViews: (period: ViewPeriod) => `reset-views-${period}`
} as const

export const VideoIdAttribute = defineSearchAttributeKey("VideoId", SearchAttributeType.KEYWORD)
export const VideoTypeAttribute = defineSearchAttributeKey("VideoType", SearchAttributeType.KEYWORD)

/** Search attributes that let an operator find every workflow of a video in the Temporal UI. */
export const videoSearchAttributes = (videoId: string, videoType: "VOD" | "LIVE") =>
  new TypedSearchAttributes([
    { key: VideoIdAttribute, value: videoId },
    { key: VideoTypeAttribute, value: videoType }
  ])

export type ViewPeriod = "day" | "month"

export interface DeleteVideoInput {
  readonly videoId: string
}

export interface DeleteVideoResult {
  readonly objectsRemoved: number
}

export interface ResetViewsInput {
  readonly period: ViewPeriod
  /**
   * The period to close, `YYYY-MM-DD` (day) or `YYYY-MM` (month). By default the one before the run's scheduled
   * time (or its start time when run by hand): an operator re-running a reset gets a no-op, not a second zeroing.
   */
  readonly closes?: string | undefined
}

export interface ResetViewsResult {
  readonly period: ViewPeriod
  readonly closes: string
  /** Applied: counters zeroed now. AlreadyDone: this period was closed before. Superseded: a later one was. */
  readonly outcome: "Applied" | "AlreadyDone" | "Superseded"
  readonly videosReset: number
  /** Dedup claims too old to matter, dropped by the daily reset. */
  readonly claimsPurged: number
}

export * from "./liveSessionApi.ts"
