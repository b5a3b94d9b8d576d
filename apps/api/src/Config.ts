import { MAX_VIEW_DEDUP_WINDOW_SECONDS } from "@reelbase/domain"
import { Config, ConfigProvider, Effect } from "effect"
import { parseTrustProxy } from "./analytics/ClientAddress.ts"

const invalid = (message: string) => Effect.fail(new Config.ConfigError(new ConfigProvider.SourceError({ message })))

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
  adminToken: Config.Redacted("ADMIN_TOKEN").pipe(Config.option),
  /** Repeated views of one ip + user agent within this many seconds count once; 0 counts every view. */
  viewDedupWindowSeconds: Config.Int("VIEW_DEDUP_WINDOW_SECONDS").pipe(
    Config.withDefault(30),
    Config.mapEffect((seconds) =>
      seconds >= 0 && seconds <= MAX_VIEW_DEDUP_WINDOW_SECONDS
        ? Effect.succeed(seconds)
        : invalid(`VIEW_DEDUP_WINDOW_SECONDS must be between 0 and ${MAX_VIEW_DEDUP_WINDOW_SECONDS}, got ${seconds}`))
  ),
  /** Who may name the client's address in x-forwarded-for / x-real-ip: false, true, or proxy addresses/CIDRs. */
  trustProxy: Config.String("TRUST_PROXY").pipe(
    Config.withDefault("false"),
    Config.mapEffect((text) => {
      const parsed = parseTrustProxy(text)
      return "error" in parsed ? invalid(parsed.error) : Effect.succeed(parsed)
    })
  )
})
