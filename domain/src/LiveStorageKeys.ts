import { StorageKeys } from "./StorageKeys.ts"
import type { VideoId } from "./Video.ts"

/** Where a live stream's objects live: everything under `live/<id>/`, so deleting a video finds them. */
export const LiveStorageKeys = {
  prefix: (id: VideoId | string) => StorageKeys.livePrefix(id),
  /** The sliding-window playlist viewers poll while the stream is live. */
  livePlaylist: (id: VideoId | string) => `${StorageKeys.livePrefix(id)}index.m3u8`,
  /** Every segment so far; sealed with EXT-X-ENDLIST when the stream ends, then it is the replay. */
  recording: (id: VideoId | string) => `${StorageKeys.livePrefix(id)}recording.m3u8`,
  /** A segment or other file the packager wrote, by its plain file name. */
  file: (id: VideoId | string, name: string) => `${StorageKeys.livePrefix(id)}${name}`,
  thumbnail: (id: VideoId | string) => `${StorageKeys.livePrefix(id)}thumbnail.jpg`
} as const
