// `npm run bench:transcode`: the ladder against the seed's pipeline, and how soon an upload plays.
//
// 1. Makes a 1080p30 test source with ffmpeg (a moving test pattern with film-like grain, and a tone).
// 2. Times the seed's pipeline on it: three ffmpeg processes in parallel (1080p/720p/480p), each decoding the
//    source itself, `-preset medium -crf 23`, caps 5000/2800/1400k, `-hls_time 6`.
// 3. Times this project's ladder on the same source: one ffmpeg process (activities/src/ffmpeg/args.ts),
//    1080p/720p/480p/360p.
// 4. Measures the PSNR of both 1080p renditions against the source.
// 5. Brings up its own stack (test profile shifted by 70 ports, own data folder) and times, for a 60 s
//    H.264/AAC upload, `complete` → a playable `hlsUrl` (master, media playlist and first segment served),
//    and `complete` → READY. Pass `--api <url>` to measure against a stack that is already running instead.
//
// Figures, not assertions: on a shared machine they move with the load; compare the ratios.
import { execFile, spawn } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { ladderArgs, probeArgs } from "../activities/src/ffmpeg/args.ts"
import { ENCODER, planLadder } from "../activities/src/ffmpeg/ladder.ts"
import { judgeProbe } from "../activities/src/ffmpeg/probe.ts"
import { type Profile, ROOT, testProfile } from "./lib/Profile.ts"
import { ensureBucket, startApi, startPostgres, startSeaweed, startTemporal, startWorker } from "./lib/Services.ts"
import { Supervisor } from "./lib/Supervisor.ts"

const run = promisify(execFile)
const FFMPEG = process.env.FFMPEG_PATH ?? "ffmpeg"
const FFPROBE = process.env.FFPROBE_PATH ?? "ffprobe"
const SOURCE_SECONDS = Number(process.env.BENCH_SOURCE_SECONDS ?? 20)
const UPLOAD_SECONDS = 60
const PLAYABLE_RUNS = Number(process.env.BENCH_PLAYABLE_RUNS ?? 3)
const TARGETS = { speedup: 2, psnrDropDb: 0.5, playableSeconds: 5 }

const argValue = (name: string) => {
  const index = process.argv.indexOf(name)
  return index >= 0 ? process.argv[index + 1] : undefined
}
const externalApi = argValue("--api")

const work = join(tmpdir(), `reelbase-bench-transcode-${process.pid}`)
mkdirSync(work, { recursive: true })
const supervisor = new Supervisor()
const say = (line: string) => supervisor.log("bench", line, 1)

/** The test profile shifted by 70 ports with its own data folder: it runs beside a test stack (and bench:site's +50). */
const benchProfile = (): Profile => {
  const base = testProfile()
  const ports = Object.fromEntries(Object.entries(base.ports).map(([name, port]) => [name, port + 70])) as Profile["ports"]
  return { ...base, dataDir: join(ROOT, ".data", "bench-transcode"), ports }
}
const profile = benchProfile()

let finishing = false
const finish = async (code: number) => {
  if (finishing) return
  finishing = true
  await supervisor.stopAll()
  rmSync(profile.dataDir, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
  process.exit(code)
}
process.on("SIGINT", () => void finish(130))
supervisor.onUnexpectedExit = (name, code) => {
  say(`${name} exited unexpectedly (code ${code})`)
  void finish(1)
}

const ffmpeg = (args: ReadonlyArray<string>): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, args, { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))))
  })

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await work()
  return (performance.now() - start) / 1000
}

/** A 1080p30 source with grain (so it is not trivially compressible), H.264 at a phone's 16 Mbit/s, AAC. */
const makeSource = async (seconds: number, path: string) => {
  await ffmpeg([
    "-y", "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=30:duration=${seconds},noise=alls=8:allf=t`,
    "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    "-c:v", "libx264", "-preset", "veryfast", "-b:v", "16M", "-maxrate", "20M", "-bufsize", "32M", "-pix_fmt", "yuv420p",
    "-c:a", "aac", "-b:a", "128k",
    "-movflags", "+faststart",
    path
  ])
}

/** The seed's pipeline, as the issue describes it: one ffmpeg per rendition, all at once. */
const seedPipeline = (source: string, folder: string) =>
  Promise.all([[1080, 5000], [720, 2800], [480, 1400]].map(async ([height, maxrate]) => {
    const dir = join(folder, `${height}p`)
    mkdirSync(dir, { recursive: true })
    await ffmpeg([
      "-y", "-hide_banner", "-loglevel", "error",
      "-i", source,
      "-vf", `scale=-2:${height}`,
      "-c:v", "libx264", "-preset", "medium", "-crf", "23",
      "-maxrate", `${maxrate}k`, "-bufsize", `${maxrate! * 2}k`,
      "-c:a", "aac", "-b:a", "128k",
      "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod",
      "-hls_segment_filename", join(dir, "seg_%03d.ts"),
      join(dir, "index.m3u8")
    ])
  }))

const ourLadder = async (source: string, folder: string) => {
  const { stdout } = await run(FFPROBE, probeArgs(source))
  const verdict = judgeProbe(JSON.parse(stdout))
  if (verdict._tag !== "Usable") throw new Error(verdict.reason)
  const plan = planLadder(verdict.source)
  for (const rendition of plan.renditions) mkdirSync(join(folder, rendition.name), { recursive: true })
  await ffmpeg(ladderArgs(source, plan, folder))
  return plan
}

/** Average PSNR (dB) of a rendition against the source, frames matched from the start. */
const psnr = async (rendition: string, source: string): Promise<number> => {
  const { stderr } = await run(FFMPEG, [
    "-hide_banner", "-i", rendition, "-i", source,
    "-lavfi", "[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]psnr",
    "-f", "null", "-"
  ], { maxBuffer: 64 * 1024 * 1024 })
  const average = /PSNR .* average:([\d.]+|inf)/.exec(stderr)?.[1]
  if (average === undefined) throw new Error(`no PSNR in ffmpeg output:\n${stderr.slice(-2000)}`)
  return Number(average)
}

/** Average video+audio bitrate of a rendition folder, kbit/s. */
const kbps = (folder: string, seconds: number) =>
  readdirSync(folder).filter((name) => name.endsWith(".ts")).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0) * 8 / seconds / 1000

// --- complete → playable, against a running stack -------------------------------------------------------------

const json = async (url: string, init: RequestInit = {}) => {
  const response = await fetch(url, init)
  const body = await response.text()
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url} answered ${response.status}: ${body}`)
  return body === "" ? undefined : JSON.parse(body)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Uploads the file, then measures complete → playable hlsUrl (every object a player needs first) and → READY. */
const playableAfterComplete = async (apiUrl: string, file: string) => {
  const body = readFileSync(file)
  const created = await json(`${apiUrl}/api/upload/presign`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fileName: "bench.mp4", fileSize: body.length, contentType: "video/mp4", visibility: "UNLISTED" })
  })
  const put = await fetch(created.uploadUrl, { method: "PUT", body })
  if (!put.ok) throw new Error(`PUT answered ${put.status}`)
  const auth = { authorization: `Bearer ${created.manageToken}` }

  const start = performance.now()
  await json(`${apiUrl}/api/upload/${created.videoId}/complete`, { method: "POST", headers: auth })
  let playableAt: number | undefined
  for (;;) {
    const video = await json(`${apiUrl}/api/videos/${created.videoId}`, { headers: auth })
    if (video.status === "FAILED") throw new Error(`transcode failed: ${video.failureReason}`)
    if (playableAt === undefined && video.hlsUrl !== null) {
      // Playable means what a player fetches first is there: master, first media playlist, first segment.
      const master = await (await fetch(video.hlsUrl)).text()
      const mediaUrl = new URL(master.split("\n").find((line) => line !== "" && !line.startsWith("#"))!, video.hlsUrl)
      const media = await (await fetch(mediaUrl)).text()
      const segment = await fetch(new URL(media.split("\n").find((line) => line !== "" && !line.startsWith("#"))!, mediaUrl))
      if (segment.ok && (await segment.arrayBuffer()).byteLength > 0) playableAt = performance.now()
    }
    if (video.status === "READY") {
      return { playable: ((playableAt ?? performance.now()) - start) / 1000, ready: (performance.now() - start) / 1000 }
    }
    await sleep(50)
  }
}

const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const mark = (ok: boolean) => (ok ? "meets target" : "MISSES target")

// --- main ----------------------------------------------------------------------------------------------------

const main = async () => {
  const source = join(work, "source-1080p30.mp4")
  say(`making a ${SOURCE_SECONDS} s 1080p30 source`)
  await makeSource(SOURCE_SECONDS, source)

  say("seed pipeline: 3 ffmpeg processes in parallel, -preset medium -crf 23")
  const seedSeconds = await timed(() => seedPipeline(source, join(work, "seed")))
  say(`ladder: one ffmpeg process, -preset ${ENCODER.preset} -crf ${ENCODER.crf}, top rendition ${ENCODER.topX264Params}`)
  let plan: Awaited<ReturnType<typeof ourLadder>> | undefined
  const ladderSeconds = await timed(async () => (plan = await ourLadder(source, join(work, "ladder"))))

  say("PSNR of both 1080p renditions against the source")
  const seedPsnr = await psnr(join(work, "seed", "1080p", "index.m3u8"), source)
  const ladderPsnr = await psnr(join(work, "ladder", "1080p", "index.m3u8"), source)

  let playable: Array<{ playable: number; ready: number }> = []
  let apiUrl = externalApi
  if (apiUrl === undefined) {
    say("bringing up a stack of its own for the upload timing")
    await Promise.all([startPostgres(profile, supervisor), startTemporal(profile, supervisor), startSeaweed(profile, supervisor)])
    await ensureBucket(profile)
    await startApi(profile, supervisor)
    await startWorker(profile, supervisor)
    apiUrl = `http://127.0.0.1:${profile.ports.api}`
  }
  const upload = join(work, "upload-60s.mp4")
  say(`making a ${UPLOAD_SECONDS} s 1080p30 H.264/AAC upload`)
  await makeSource(UPLOAD_SECONDS, upload)
  for (let attempt = 1; attempt <= PLAYABLE_RUNS; attempt++) {
    playable.push(await playableAfterComplete(apiUrl, upload))
    say(`run ${attempt}: playable ${playable.at(-1)!.playable.toFixed(2)} s, READY ${playable.at(-1)!.ready.toFixed(1)} s after complete`)
  }

  const speedup = seedSeconds / ladderSeconds
  const drop = seedPsnr - ladderPsnr
  const playableMedian = median(playable.map((p) => p.playable))
  const lines = [
    "",
    `bench:transcode — ${SOURCE_SECONDS} s 1080p30 source, ${new Date().toISOString()}, ${process.env.HOSTNAME ?? ""}`,
    "",
    "| pipeline | renditions | wall time | 1080p PSNR | 1080p bitrate |",
    "|---|---|---|---|---|",
    `| seed: 3 processes, medium, crf 23 | 1080p 720p 480p | ${seedSeconds.toFixed(1)} s | ${seedPsnr.toFixed(2)} dB | ${kbps(join(work, "seed", "1080p"), SOURCE_SECONDS).toFixed(0)} kbit/s |`,
    `| ladder: 1 process, ${ENCODER.preset}, crf ${ENCODER.crf}, top rendition ${ENCODER.topX264Params} | ${plan!.renditions.map((r) => r.name).join(" ")} | ${ladderSeconds.toFixed(1)} s | ${ladderPsnr.toFixed(2)} dB | ${kbps(join(work, "ladder", "1080p"), SOURCE_SECONDS).toFixed(0)} kbit/s |`,
    "",
    `speed-up (seed / ladder wall time): ${speedup.toFixed(2)}x — ${mark(speedup >= TARGETS.speedup)} (>= ${TARGETS.speedup}x)`,
    `1080p PSNR, ladder minus seed: ${(-drop).toFixed(2)} dB — ${mark(drop <= TARGETS.psnrDropDb)} (no more than ${TARGETS.psnrDropDb} dB below)`,
    `${UPLOAD_SECONDS} s H.264 upload, complete → playable hlsUrl: median ${playableMedian.toFixed(2)} s of ${playable.map((p) => p.playable.toFixed(2)).join(", ")} — ${mark(playableMedian <= TARGETS.playableSeconds)} (<= ${TARGETS.playableSeconds} s)`,
    `${UPLOAD_SECONDS} s H.264 upload, complete → READY (whole ladder): median ${median(playable.map((p) => p.ready)).toFixed(1)} s`,
    ""
  ]
  console.log(lines.join("\n"))
}

main().then(() => finish(0), (error) => {
  say(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  void finish(1)
})
