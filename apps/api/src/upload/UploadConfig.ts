import { Config } from "effect"

/** The upload settings, read once when the API starts. */
export const UploadConfig = Config.all({
  /** The largest file accepted, in bytes (20 GiB unless MAX_UPLOAD_BYTES says otherwise). */
  maxUploadBytes: Config.Int("MAX_UPLOAD_BYTES").pipe(Config.withDefault(20 * 1024 ** 3)),
  /** How long presigned upload URLs (single PUT and parts) stay valid. */
  urlTtlSeconds: Config.Int("UPLOAD_URL_TTL_SECONDS").pipe(Config.withDefault(3600))
})
