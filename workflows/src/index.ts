// Workflow definitions only: this file is the worker's workflowsPath.
export { cleanupUploads } from "./cleanupUploads.ts"
export { deleteVideo } from "./deleteVideo.ts"
export { resetViews } from "./resetViews.ts"
export { liveSession } from "./liveSession.ts"
export { retireEarlyRendition } from "./retireEarlyRendition.ts"
export { transcodeVideo } from "./transcodeVideo.ts"
