// Workflow definitions only: this file is the worker's workflowsPath.
export { deleteVideo } from "./deleteVideo.ts"
export { resetViews } from "./resetViews.ts"
export { liveSession } from "./liveSession.ts"
