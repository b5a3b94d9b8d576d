import type { VideoId } from "./Video.ts"

/** Where every object of a video lives in the bucket; user-supplied names never reach a key. */
export const StorageKeys = {
  original: (id: VideoId | string) => `uploads/${id}/original`,
  videoPrefix: (id: VideoId | string) => `videos/${id}/`,
  master: (id: VideoId | string) => `videos/${id}/master.m3u8`,
  thumbnail: (id: VideoId | string) => `videos/${id}/thumbnail.jpg`,
  livePrefix: (id: VideoId | string) => `live/${id}/`,
  /** Every prefix that may hold objects of the video, for deletion. */
  allPrefixes: (id: VideoId | string) => [`uploads/${id}/`, `videos/${id}/`, `live/${id}/`]
} as const
