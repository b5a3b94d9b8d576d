import { tmpdir } from "node:os"
import { Config, Effect, Option, Schema } from "effect"

/** How a worker receives and packages live streams; read once when the worker starts. */
export interface LiveIngestSettings {
  /** UDP ports the WebRTC peers may use (open these in a firewall); undefined lets the OS pick. */
  readonly icePortRange: readonly [number, number] | undefined
  /** Public addresses to announce as host candidates when the worker sits behind NAT or in a container. */
  readonly announcedAddresses: ReadonlyArray<string>
  readonly segmentSeconds: number
  readonly playlistSize: number
  /** A publisher that sends nothing for this long is gone, and its stream ends. */
  readonly peerTimeoutMs: number
  /** A publisher must start sending within this long after its offer was answered. */
  readonly connectTimeoutMs: number
  readonly ffmpegPath: string
  readonly ffprobePath: string
  /** Where sessions write segments before they are uploaded. */
  readonly workDir: string
}

const optionalInt = (name: string) => Config.Int(name).pipe(Config.option)

const LiveIngestEnv = Config.all({
  portMin: optionalInt("LIVE_ICE_PORT_MIN"),
  portMax: optionalInt("LIVE_ICE_PORT_MAX"),
  announced: Config.String("LIVE_ANNOUNCED_IP").pipe(Config.withDefault("")),
  segmentSeconds: Config.Int("LIVE_SEGMENT_SECONDS").pipe(Config.withDefault(1)),
  playlistSize: Config.Int("LIVE_PLAYLIST_SIZE").pipe(Config.withDefault(6)),
  peerTimeoutSeconds: Config.Int("LIVE_PEER_TIMEOUT_SECONDS").pipe(Config.withDefault(10)),
  connectTimeoutSeconds: Config.Int("LIVE_CONNECT_TIMEOUT_SECONDS").pipe(Config.withDefault(20)),
  ffmpegPath: Config.String("FFMPEG_PATH").pipe(Config.withDefault("ffmpeg")),
  ffprobePath: Config.String("FFPROBE_PATH").pipe(Config.withDefault("ffprobe")),
  workDir: Config.String("LIVE_WORK_DIR").pipe(Config.withDefault(tmpdir()))
})

export class LiveConfigError extends Schema.TaggedError<LiveConfigError>()("LiveConfigError", {
  message: Schema.String
}) {}

/** The live settings from the environment, checked: a worker with a broken range refuses to start. */
export const loadLiveIngestSettings = Effect.gen(function*() {
  const raw = yield* LiveIngestEnv
  const fail = (message: string) => Effect.fail(new LiveConfigError({ message }))
  const min = Option.getOrUndefined(raw.portMin)
  const max = Option.getOrUndefined(raw.portMax)
  if ((min === undefined) !== (max === undefined)) {
    return yield* fail("LIVE_ICE_PORT_MIN and LIVE_ICE_PORT_MAX go together: set both or neither")
  }
  if (min !== undefined && max !== undefined && !(min > 0 && min < max && max <= 65535)) {
    return yield* fail(`LIVE_ICE_PORT_MIN..LIVE_ICE_PORT_MAX must be a range of UDP ports, got ${min}..${max}`)
  }
  if (raw.segmentSeconds < 1 || raw.segmentSeconds > 6) return yield* fail("LIVE_SEGMENT_SECONDS must be between 1 and 6")
  if (raw.playlistSize < 3) return yield* fail("LIVE_PLAYLIST_SIZE must be at least 3")
  return {
    icePortRange: min !== undefined && max !== undefined ? [min, max] as const : undefined,
    announcedAddresses: raw.announced.split(",").map((address) => address.trim()).filter((address) => address !== ""),
    segmentSeconds: raw.segmentSeconds,
    playlistSize: raw.playlistSize,
    peerTimeoutMs: raw.peerTimeoutSeconds * 1000,
    connectTimeoutMs: raw.connectTimeoutSeconds * 1000,
    ffmpegPath: raw.ffmpegPath,
    ffprobePath: raw.ffprobePath,
    workDir: raw.workDir
  } satisfies LiveIngestSettings
})
