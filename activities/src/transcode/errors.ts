import { Schema } from "effect"

/** The upload is not a video this platform can transcode; retrying cannot help. `reason` is shown to its owner. */
export class InvalidMedia extends Schema.TaggedError<InvalidMedia>()("InvalidMedia", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

/** The video's row is gone (deleted while processing): there is nothing left to work for. */
export class VideoGone extends Schema.TaggedError<VideoGone>()("VideoGone", {
  videoId: Schema.String
}) {
  override get message() {
    return `Video ${this.videoId} no longer exists`
  }
}
