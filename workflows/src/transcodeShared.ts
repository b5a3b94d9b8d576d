// Names and types of the VOD workflows shared with the API, the activities and tests.
// Safe everywhere: imports nothing.

/** Where a transcode is; the API shows it while the video is PROCESSING. */
export interface TranscodeProgress {
  readonly phase: "starting" | "probing" | "publishing-early" | "thumbnail" | "encoding" | "publishing" | "done"
  /** 0..1 over the whole transcode. */
  readonly fraction: number
}

export interface TranscodeInput {
  readonly videoId: string
}

export interface TranscodeResult {
  readonly status: "READY"
  readonly renditions: number
  readonly durationSeconds: number
  /** Whether the source's own streams were published before the ladder. */
  readonly earlyPublished: boolean
}

export interface RetireEarlyRenditionInput {
  readonly videoId: string
  /** How long viewers who started on the early rendition may keep watching it. */
  readonly afterSeconds: number
}

export interface CleanupUploadsInput {
  /** Multipart uploads started longer ago than this are aborted. */
  readonly olderThanSeconds: number
  /** Restricts the cleanup to one video. */
  readonly videoId?: string | undefined
}

export interface CleanupUploadsResult {
  readonly aborted: number
}

/** Activity failure types a retry cannot fix: the proxies never retry them, the activities raise them. */
export const PERMANENT_FAILURES = ["InvalidMedia", "VideoGone"]

/** Query a running transcode answers with its TranscodeProgress. */
export const TRANSCODE_PROGRESS_QUERY = "progress"

/** Signal the early-publish and encode activities send their workflow: 0..1 of their own work. */
export const ENCODE_PROGRESS_SIGNAL = "encodeProgress"

export const vodWorkflowIds = {
  retireEarlyRendition: (videoId: string) => `retire-early-${videoId}`,
  cleanupUploads: "cleanup-uploads"
} as const

/** The Schedule that runs cleanupUploads; operators find it in the Temporal UI under Schedules. */
export const CLEANUP_UPLOADS_SCHEDULE_ID = "uploads-cleanup-hourly"
