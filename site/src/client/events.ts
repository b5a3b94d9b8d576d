// Events islands on one page use to tell each other things, on `document`.

/** This page view's view was recorded: the stats panel refreshes at once. `detail: {videoId}`. */
export const VIEW_COUNTED_EVENT = "reelbase:view-counted"

/** This browser's list of owned videos changed (added, edited, forgotten). */
export const MY_UPLOADS_CHANGED_EVENT = "reelbase:my-uploads-changed"
