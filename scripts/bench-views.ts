// `npm run bench:views`: how many views per second the API counts, how fast, and whether every one of them
// landed exactly once; then how fast the catalog answers with 10,000 videos in it.
// Brings up its own Postgres and API (test profile shifted by 70 ports, own data folder, durable Postgres as
// in production) with the dedup window at 0, seeds the videos, and drives the API with autocannon from this
// process (the API runs in its own). Figures, not assertions: on a shared machine they move from run to run.
import { spawn } from "node:child_process"
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { appEnv, type Profile, ROOT, testProfile } from "./lib/Profile.ts"
import { startPostgres } from "./lib/Services.ts"
import { Supervisor, waitUntil } from "./lib/Supervisor.ts"

const flag = (name: string, fallback: number): number => {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  return given === undefined ? fallback : Number(given.split("=")[1])
}
const DURATION_SECONDS = flag("duration", 20)
const CONNECTIONS = flag("connections", 200)
const VIDEOS = flag("videos", 100)
const CATALOG_VIDEOS = 10_000
const CATALOG_SECONDS = flag("catalog-duration", 10)
const CATALOG_CONNECTIONS = flag("catalog-connections", 10)
const TARGETS = { viewsPerSecond: 3000, viewP99Ms: 50, catalogP99Ms: 20 }
/** Extra API environment for trying settings: `--api-env DATABASE_POOL_SIZE=10`. */
const apiEnvOverrides = Object.fromEntries(
  process.argv.flatMap((arg, index) => {
    if (process.argv[index - 1] !== "--api-env") return []
    const at = arg.indexOf("=")
    return [[arg.slice(0, at), arg.slice(at + 1)] as const]
  })
)

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly sent: number; readonly total: number }
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number; readonly max: number }
  readonly duration: number
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly "2xx": number
}
interface BenchRequest {
  method: string
  path: string
  headers: Record<string, string>
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon

/** The test profile, shifted by 70 ports and with its own data folder, so it runs beside a test stack. */
const benchProfile = (): Profile => {
  const base = testProfile()
  const ports = Object.fromEntries(Object.entries(base.ports).map(([name, port]) => [name, port + 70])) as Profile["ports"]
  return { ...base, dataDir: join(ROOT, ".data", "bench-views"), ports, durablePostgres: true }
}

const profile = benchProfile()
const supervisor = new Supervisor()
const say = (line: string) => supervisor.log("bench", line, 1)
const apiUrl = `http://127.0.0.1:${profile.ports.api}`

let api: ReturnType<typeof spawn> | undefined
const finish = async (code: number) => {
  if (api !== undefined && api.exitCode === null) {
    api.kill("SIGTERM")
    await new Promise((resolve) => api!.once("exit", resolve))
  }
  await supervisor.stopAll()
  rmSync(profile.dataDir, { recursive: true, force: true })
  process.exit(code)
}
process.on("SIGINT", () => void finish(130))
process.on("uncaughtException", (error) => {
  say(`failed: ${error.stack ?? String(error)}`)
  void finish(1)
})
process.on("unhandledRejection", (error) => {
  say(`failed: ${error instanceof Error ? error.stack : String(error)}`)
  void finish(1)
})
supervisor.onUnexpectedExit = (name, code) => {
  say(`${name} exited unexpectedly (code ${code})`)
  void finish(1)
}

rmSync(profile.dataDir, { recursive: true, force: true })
mkdirSync(profile.dataDir, { recursive: true })
Object.assign(process.env, appEnv(profile))
const { DatabaseLayer } = await import("@reelbase/domain")
const { ManagedRuntime } = await import("effect")
const { SqlClient } = await import("effect/sql")

const postgres = await startPostgres(profile, supervisor)

/**
 * CPU time (ms) used so far by these processes and, for Postgres, its backends: a figure that moves far less
 * with the machine's other load than requests per second do. Linux only (/proc).
 */
const cpuMillis = (pid: number, withChildren: boolean): number => {
  const read = (id: string) => {
    try {
      const fields = readFileSync(`/proc/${id}/stat`, "utf8").split(") ")[1]!.split(" ")
      return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }
    } catch {
      return undefined
    }
  }
  let ticks = read(String(pid))?.ticks ?? 0
  if (withChildren) {
    for (const id of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      const stat = read(id)
      if (stat?.ppid === pid) ticks += stat.ticks
    }
  }
  return ticks * 10
}

// The API writes its log to a file, as it would to a collector: the cost of logging stays in the API process
// and nothing here spends CPU reading it.
const apiLog = join(profile.dataDir, "api.log")
const apiEnv = { ...process.env, ...appEnv(profile), VIEW_DEDUP_WINDOW_SECONDS: "0", ...apiEnvOverrides }
api = spawn(process.execPath, [join(ROOT, "apps/api/src/main.ts")], { cwd: ROOT, env: apiEnv, stdio: ["ignore", "pipe", "pipe"] })
const logFile = createWriteStream(apiLog)
api.stdout!.pipe(logFile)
api.stderr!.pipe(logFile)
api.once("exit", (code) => {
  if (code !== null && code !== 0 && code !== 130 && code !== 143) say(`the API exited (code ${code}); see ${apiLog}`)
})
await waitUntil("API", async () => (await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2000) })).ok, 60_000)
say(`API up on ${apiUrl} (log: ${apiLog}; overrides: ${JSON.stringify(apiEnvOverrides)})`)

const runtime = ManagedRuntime.make(DatabaseLayer)
const query = <A extends object>(strings: TemplateStringsArray, ...values: Array<unknown>) =>
  runtime.runPromise(SqlClient.SqlClient.use((sql) => sql<A>(strings, ...values)))

// --- seed: the videos viewed, and a 10,000-video public catalog -------------------------------------------

const viewed = (await query<{ id: string }>`
  INSERT INTO videos (id, title, status, visibility, manage_token_hash)
  SELECT gen_random_uuid(), 'Viewed ' || n, 'READY', 'PUBLIC', md5(n::text) FROM generate_series(1, ${VIDEOS}) AS n
  RETURNING id`).map((row) => row.id)
await query`
  INSERT INTO videos (id, title, description, status, visibility, video_type, duration_seconds, thumbnail_key,
    hls_manifest_key, views_today, views_month, views_total, manage_token_hash, created_at)
  SELECT id, 'Catalog video number ' || n, 'A description long enough to be realistic for video ' || n,
    'READY', CASE WHEN n % 10 = 0 THEN 'UNLISTED' ELSE 'PUBLIC' END::video_visibility, 'VOD', 30 + n,
    'videos/' || id || '/thumbnail.jpg', 'videos/' || id || '/master.m3u8', n % 7, n % 31, n * 13, md5(id::text),
    now() - make_interval(mins => n)
  FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, ${CATALOG_VIDEOS}) AS n) AS seeded`
await query`ANALYZE videos`
say(`seeded ${VIDEOS} videos to view and ${CATALOG_VIDEOS} catalog videos`)

// --- views: every request carries its own id in the user agent, so each can be found in the log -----------

let sequence = 0
const sent = new Set<number>()
const accepted = new Set<number>()
const viewLoad = (seconds: number, connections: number, tag: string) =>
  autocannon({
    url: apiUrl,
    connections,
    duration: seconds,
    requests: [{
      method: "POST",
      setupRequest: (request: BenchRequest, context: { id?: number }) => {
        const id = sequence++
        context.id = id
        sent.add(id)
        request.path = `/api/analytics/view/${viewed[id % viewed.length]}`
        request.headers = { "user-agent": `${tag}/${id}` }
        return request
      },
      onResponse: (status: number, _body: string, context: { id?: number }) => {
        if (status === 200 && context.id !== undefined) accepted.add(context.id)
      }
    }]
  })

say("warming up (3 s, 50 connections)")
await viewLoad(3, 50, "warmup")
await new Promise((resolve) => setTimeout(resolve, 2000))
const counters = async () => {
  const [row] = await query<{ total: bigint; today: bigint; month: bigint; logged: bigint; daily: bigint }>`
    SELECT
      (SELECT coalesce(sum(views_total), 0) FROM videos WHERE title LIKE 'Viewed %') AS total,
      (SELECT coalesce(sum(views_today), 0) FROM videos WHERE title LIKE 'Viewed %') AS today,
      (SELECT coalesce(sum(views_month), 0) FROM videos WHERE title LIKE 'Viewed %') AS month,
      (SELECT count(*) FROM video_view_logs) AS logged,
      (SELECT coalesce(sum(views), 0) FROM video_views_daily) AS daily`
  return { total: Number(row!.total), today: Number(row!.today), month: Number(row!.month), logged: Number(row!.logged), daily: Number(row!.daily) }
}
const before = await counters()
sent.clear()
accepted.clear()
const cpuBefore = { api: cpuMillis(api.pid!, false), postgres: cpuMillis(postgres!.pid, true), load: cpuMillis(process.pid, false) }

say(`driving POST /api/analytics/view/:id: ${CONNECTIONS} connections, ${DURATION_SECONDS} s, ${VIDEOS} videos`)
const views = await viewLoad(DURATION_SECONDS, CONNECTIONS, "bench")
const cpuAfter = { api: cpuMillis(api.pid!, false), postgres: cpuMillis(postgres!.pid, true), load: cpuMillis(process.pid, false) }
// Requests cut off when the run ended may still be finishing in the API.
await new Promise((resolve) => setTimeout(resolve, 2000))
const after = await counters()
const loggedIds = (await query<{ userAgent: string }>`SELECT user_agent FROM video_view_logs WHERE user_agent LIKE 'bench/%'`)
  .map((row) => Number(row.userAgent.slice("bench/".length)))
const loggedOnce = new Set(loggedIds)
const lost = [...accepted].filter((id) => !loggedOnce.has(id)).length
const duplicated = loggedIds.length - loggedOnce.size
const neverSent = [...loggedOnce].filter((id) => !sent.has(id)).length
const unanswered = [...loggedOnce].filter((id) => !accepted.has(id)).length - neverSent
const delta = {
  total: after.total - before.total,
  today: after.today - before.today,
  month: after.month - before.month,
  logged: after.logged - before.logged,
  daily: after.daily - before.daily
}
const counterMismatch = [delta.total, delta.today, delta.month, delta.daily].some((value) => value !== delta.logged)

// --- the catalog with 10,000 videos --------------------------------------------------------------------------

say(`timing GET /api/videos: ${CATALOG_CONNECTIONS} connections, ${CATALOG_SECONDS} s, ${CATALOG_VIDEOS} videos in the catalog`)
const catalogCpuBefore = cpuMillis(api.pid!, false)
const catalog = await autocannon({ url: `${apiUrl}/api/videos`, connections: CATALOG_CONNECTIONS, duration: CATALOG_SECONDS })
const catalogApiMicros = ((cpuMillis(api.pid!, false) - catalogCpuBefore) * 1000 / Math.max(1, catalog["2xx"])).toFixed(0)
await runtime.dispose()

// --- report ------------------------------------------------------------------------------------------------

const perView = (millis: number) => (millis * 1000 / Math.max(1, views["2xx"])).toFixed(0)
const ratio = (value: number, target: number) => `${(value / target).toFixed(2)}× target`
const viewsPerSecond = views["2xx"] / views.duration
const lines = [
  "",
  `views: ${views["2xx"]} accepted in ${views.duration.toFixed(1)} s = ${viewsPerSecond.toFixed(0)} views/s ` +
  `(${ratio(viewsPerSecond, TARGETS.viewsPerSecond)} of ≥ ${TARGETS.viewsPerSecond}; higher is better)`,
  `  latency p50 ${views.latency.p50} ms, p99 ${views.latency.p99} ms (${ratio(views.latency.p99, TARGETS.viewP99Ms)} of ` +
  `≤ ${TARGETS.viewP99Ms} ms; lower is better), max ${views.latency.max} ms`,
  `  non-2xx ${views.non2xx}, errors ${views.errors}, timeouts ${views.timeouts}`,
  `  CPU per view: API ${perView(cpuAfter.api - cpuBefore.api)} µs, Postgres ${perView(cpuAfter.postgres - cpuBefore.postgres)} µs, ` +
  `load generator ${perView(cpuAfter.load - cpuBefore.load)} µs (steadier than views/s on a busy machine)`,
  `  lost (answered 200, not in the log): ${lost}`,
  `  extra (logged twice, or never sent): ${duplicated + neverSent}`,
  `  cut off at the end (logged, answer not read before the run stopped): ${unanswered}`,
  `  counters vs log: +${delta.total} total, +${delta.today} today, +${delta.month} month, +${delta.daily} in the daily ` +
  `table, +${delta.logged} log rows${counterMismatch ? "  <-- MISMATCH" : " (all equal)"}`,
  `catalog: GET /api/videos over ${CATALOG_VIDEOS} videos: ${catalog.requests.average.toFixed(0)} req/s, ` +
  `p50 ${catalog.latency.p50} ms, p99 ${catalog.latency.p99} ms (${ratio(catalog.latency.p99, TARGETS.catalogP99Ms)} of ` +
  `≤ ${TARGETS.catalogP99Ms} ms), non-2xx ${catalog.non2xx}, API CPU ${catalogApiMicros} µs per request`,
  "(a shared 2-core machine: figures move from run to run; compare ratios on a quiet machine)",
  ""
]
for (const line of lines) console.log(line)
await finish(lost > 0 || duplicated + neverSent > 0 || counterMismatch ? 1 : 0)
