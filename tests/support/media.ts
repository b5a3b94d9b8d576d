// Real media for tests: clips made with ffmpeg, and "already transcoded" videos (HLS ladder, thumbnail,
// variants) put straight into storage and the database, for pages that need something playable.
import { execFile } from "node:child_process"
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { type NewVideo, Storage, StorageKeys } from "@reelbase/domain"
import { type SeededVideo, seedVideo, services, sql } from "./db.ts"

const run = promisify(execFile)
const ffmpeg = process.env.FFMPEG_PATH ?? "ffmpeg"

const workDir = mkdtempSync(join(tmpdir(), "reelbase-media-"))

export interface ClipOptions {
  readonly seconds?: number
  readonly width?: number
  readonly height?: number
  /** A constant video bitrate in kbit/s (padded with filler), to make a file of a known, large size. */
  readonly kbps?: number
}

/** An H.264/AAC MP4 with a moving test pattern and a tone, as a phone or camera would produce. */
export const makeClip = async (options: ClipOptions = {}): Promise<string> => {
  const { seconds = 4, width = 640, height = 360, kbps } = options
  const path = join(workDir, `clip-${seconds}s-${width}x${height}-${kbps ?? "q"}.mp4`)
  await run(ffmpeg, [
    "-y", "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=30:duration=${seconds}`,
    "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
    // Test patterns compress to almost nothing; constant bitrate with filler gives a file of the size asked for.
    ...(kbps === undefined ? [] : ["-b:v", `${kbps}k`, "-minrate", `${kbps}k`, "-maxrate", `${kbps}k`, "-bufsize", `${kbps}k`, "-x264-params", "nal-hrd=cbr"]),
    "-c:a", "aac", "-b:a", "96k",
    "-movflags", "+faststart",
    path
  ])
  return path
}

interface Rendition {
  readonly name: string
  readonly width: number
  readonly height: number
  readonly bitrate: number
}

const RENDITIONS: ReadonlyArray<Rendition> = [
  { name: "360p", width: 640, height: 360, bitrate: 700_000 },
  { name: "240p", width: 426, height: 240, bitrate: 350_000 }
]

const SECONDS = 8

let ladder: Promise<string> | undefined

/** Encodes a small two-rendition HLS ladder (1 s segments) and a poster once per test process. */
const encodeLadder = (): Promise<string> => {
  ladder ??= (async () => {
    const dir = mkdtempSync(join(workDir, "ladder-"))
    for (const rendition of RENDITIONS) {
      const out = join(dir, rendition.name)
      await run("mkdir", ["-p", out])
      await run(ffmpeg, [
        "-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", `testsrc2=size=${rendition.width}x${rendition.height}:rate=30:duration=${SECONDS}`,
        "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-b:v", String(rendition.bitrate), "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "64k",
        "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
        "-hls_segment_filename", join(out, "seg_%03d.ts"),
        join(out, "index.m3u8")
      ])
    }
    const master = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for (const rendition of RENDITIONS) {
      master.push(
        `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bitrate + 64_000},RESOLUTION=${rendition.width}x${rendition.height},CODECS="avc1.64001f,mp4a.40.2"`,
        `${rendition.name}/index.m3u8`
      )
    }
    writeFileSync(join(dir, "master.m3u8"), `${master.join("\n")}\n`)
    await run(ffmpeg, [
      "-y", "-hide_banner", "-loglevel", "error",
      "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=1:duration=1",
      "-frames:v", "1", join(dir, "thumbnail.jpg")
    ])
    return dir
  })()
  return ladder
}

const contentType = (file: string) =>
  file.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : file.endsWith(".ts") ? "video/mp2t" : "image/jpeg"

/** A READY (or given status) video whose HLS ladder, poster and variants exist, as the transcode leaves them. */
export const seedPlayableVideo = async (overrides: Partial<NewVideo> = {}): Promise<SeededVideo> => {
  const dir = await encodeLadder()
  const seeded = await seedVideo({ status: "READY", ...overrides })
  const id = seeded.video.id
  const files = [
    "master.m3u8",
    "thumbnail.jpg",
    ...RENDITIONS.flatMap((rendition) => readdirSync(join(dir, rendition.name)).map((file) => `${rendition.name}/${file}`))
  ]
  for (const file of files) {
    await services.runPromise(Storage.use((storage) =>
      storage.putFile(`${StorageKeys.videoPrefix(id)}${file}`, join(dir, file), contentType(file))
    ))
  }
  await sql`UPDATE videos SET hls_manifest_key = ${StorageKeys.master(id)}, thumbnail_key = ${StorageKeys.thumbnail(id)},
    duration_seconds = ${SECONDS} WHERE id = ${id}`
  for (const rendition of RENDITIONS) {
    await sql`INSERT INTO video_variants (video_id, resolution, width, height, bitrate, codec, storage_key)
      VALUES (${id}, ${rendition.name}, ${rendition.width}, ${rendition.height}, ${rendition.bitrate}, 'avc1.64001f,mp4a.40.2',
        ${`${StorageKeys.videoPrefix(id)}${rendition.name}/index.m3u8`})`
  }
  return seeded
}

export interface FakeLiveStream {
  /** Stops the encoder; its last playlist (with EXT-X-ENDLIST) is uploaded before this resolves. */
  stop(): Promise<void>
}

/**
 * A live HLS stream as the live ingest produces one: ffmpeg encodes a test pattern in real time into 1 s
 * segments, and each segment is uploaded under `live/<id>/` before the playlist that names it.
 */
export const startFakeLiveStream = async (videoId: string): Promise<FakeLiveStream> => {
  const { spawn } = await import("node:child_process")
  const { existsSync, readFileSync } = await import("node:fs")
  const dir = mkdtempSync(join(workDir, "live-"))
  const encoder = spawn(ffmpeg, [
    "-hide_banner", "-loglevel", "error",
    "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
    "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
    "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
    "-c:a", "aac", "-b:a", "64k",
    "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
    "-hls_flags", "independent_segments+program_date_time+temp_file",
    "-hls_segment_filename", join(dir, "seg_%05d.ts"),
    join(dir, "index.m3u8")
  ], { stdio: ["pipe", "ignore", "inherit"] })
  const exited = new Promise<void>((resolve) => encoder.once("exit", () => resolve()))
  const uploaded = new Set<string>()
  let lastPlaylist = ""
  const put = (key: string, file: string, type: string) =>
    services.runPromise(Storage.use((storage) => storage.putFile(key, join(dir, file), type)))

  const sync = async () => {
    const playlistPath = join(dir, "index.m3u8")
    if (!existsSync(playlistPath)) return
    const playlist = readFileSync(playlistPath, "utf8")
    if (playlist === lastPlaylist) return
    for (const segment of playlist.split("\n").filter((line) => line.endsWith(".ts"))) {
      if (uploaded.has(segment)) continue
      await put(`${StorageKeys.livePrefix(videoId)}${segment}`, segment, "video/mp2t")
      uploaded.add(segment)
    }
    await services.runPromise(Storage.use((storage) =>
      storage.putBytes(`${StorageKeys.livePrefix(videoId)}index.m3u8`, playlist, "application/vnd.apple.mpegurl")
    ))
    lastPlaylist = playlist
  }

  let running = true
  const loop = (async () => {
    while (running) {
      await sync().catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  })()
  await sql`UPDATE videos SET status = 'LIVE', is_live_now = true, hls_manifest_key = ${`${StorageKeys.livePrefix(videoId)}index.m3u8`}
    WHERE id = ${videoId}`
  return {
    stop: async () => {
      // "q" asks ffmpeg to finish cleanly: it writes the last segment and EXT-X-ENDLIST.
      encoder.stdin?.end("q")
      await exited
      running = false
      await loop
      await sync()
    }
  }
}
