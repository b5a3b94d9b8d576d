import { Schema } from "effect"

// Every error the API returns is JSON with a `_tag` and a human-readable `message`.

export class VideoNotFound extends Schema.TaggedError<VideoNotFound>()(
  "VideoNotFound",
  { message: Schema.String },
  { httpApiStatus: 404 }
) {
  static readonly forId = (id: string) => new VideoNotFound({ message: `No video with id ${id}` })
}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  { httpApiStatus: 401 }
) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String },
  { httpApiStatus: 403 }
) {}

export class BadRequest extends Schema.TaggedError<BadRequest>()(
  "BadRequest",
  { message: Schema.String },
  { httpApiStatus: 400 }
) {}

export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  { message: Schema.String },
  { httpApiStatus: 409 }
) {}

export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  "ServiceUnavailable",
  { message: Schema.String },
  { httpApiStatus: 503 }
) {}
