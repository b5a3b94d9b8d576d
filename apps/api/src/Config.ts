import { Config } from "effect"

/** Everything the API reads from its environment, in one place. */
export const ApiConfig = Config.all({
  port: Config.Port("API_PORT").pipe(Config.withDefault(3001)),
  /** Base of the URLs the API hands out (HLS, thumbnails, WHIP), as browsers reach it. */
  publicUrl: Config.String("PUBLIC_API_URL").pipe(Config.withDefault("http://localhost:3001")),
  /** The site's origin: CORS lets it call the API and publish over WHIP. */
  siteOrigin: Config.String("SITE_ORIGIN").pipe(Config.withDefault("http://localhost:3000")),
  temporalUiUrl: Config.String("TEMPORAL_UI_URL").pipe(Config.withDefault("http://localhost:8233")),
  temporalNamespace: Config.String("TEMPORAL_NAMESPACE").pipe(Config.withDefault("default")),
  /** Where the API starts workflows; a test can point an API and its own workers at a private queue. */
  taskQueue: Config.String("TEMPORAL_TASK_QUEUE").pipe(Config.withDefault("media")),
  /** The operator's token: may manage every video. Unset means no operator access. */
  adminToken: Config.Redacted("ADMIN_TOKEN").pipe(Config.option)
})
