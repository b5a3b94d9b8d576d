// `npm run bench:site`: how fast the site renders and how much JavaScript it ships.
// Brings up its own stack (test profile, own ports and data folder), seeds 200 public videos, then measures
// `/` and `/videos/<id>` with autocannon (a separate process, on loopback) and the gzip size of every script
// each page loads, its dynamic imports included. Figures, not assertions: the machine may be busy.
import { execFile } from "node:child_process"
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { gzipSync } from "node:zlib"
import { appEnv, type Profile, ROOT, testProfile } from "./lib/Profile.ts"
import { bringUp } from "./lib/Services.ts"
import { Supervisor } from "./lib/Supervisor.ts"

const run = promisify(execFile)
const VIDEOS = 200
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const TARGETS = { catalogJsBytes: 15 * 1024, renderP99Ms: 50, playerOwnJsBytes: 10 * 1024 }

/** The test profile, shifted by 50 ports and with its own data folder, so it runs beside a test stack. */
const benchProfile = (): Profile => {
  const base = testProfile()
  const ports = Object.fromEntries(Object.entries(base.ports).map(([name, port]) => [name, port + 50])) as Profile["ports"]
  return { ...base, dataDir: join(ROOT, ".data", "bench-site"), ports }
}

const profile = benchProfile()
const supervisor = new Supervisor()
const say = (line: string) => supervisor.log("bench", line, 1)
const siteUrl = `http://127.0.0.1:${profile.ports.site}`

const finish = async (code: number) => {
  await supervisor.stopAll()
  rmSync(profile.dataDir, { recursive: true, force: true })
  process.exit(code)
}
process.on("SIGINT", () => void finish(130))
supervisor.onUnexpectedExit = (name, code) => {
  say(`${name} exited unexpectedly (code ${code})`)
  void finish(1)
}

// --- the catalog: 200 public, watchable videos -------------------------------------------------------------

const seed = async (): Promise<string> => {
  Object.assign(process.env, appEnv(profile))
  const { DatabaseLayer } = await import("@reelbase/domain")
  const { ManagedRuntime } = await import("effect")
  const { SqlClient } = await import("effect/sql")
  const runtime = ManagedRuntime.make(DatabaseLayer)
  try {
    const rows = await runtime.runPromise(SqlClient.SqlClient.use((sql) => sql<{ id: string }>`
      INSERT INTO videos (id, title, description, status, visibility, video_type, duration_seconds, thumbnail_key,
        hls_manifest_key, views_today, views_month, views_total, manage_token_hash, created_at)
      SELECT id, 'Benchmark video number ' || n, 'A description long enough to be realistic for video ' || n,
        'READY', 'PUBLIC', 'VOD', 30 + n, 'videos/' || id || '/thumbnail.jpg', 'videos/' || id || '/master.m3u8',
        n % 7, n % 31, n * 13, md5(id::text), now() - make_interval(mins => n)
      FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, ${VIDEOS}) AS n) AS seeded
      RETURNING id
    `))
    return rows[0]!.id
  } finally {
    await runtime.dispose()
  }
}

// --- render time ---------------------------------------------------------------------------------------------

interface Load {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
}

const load = async (url: string, connections: number): Promise<Load> => {
  const { stdout } = await run(process.execPath, [
    join(ROOT, "node_modules/autocannon/autocannon.js"),
    "--json",
    "--connections", String(connections),
    "--duration", String(DURATION_SECONDS),
    url
  ], { maxBuffer: 16 * 1024 * 1024 })
  const result = JSON.parse(stdout) as {
    requests: { total: number; average: number }
    latency: { p50: number; p99: number }
    errors: number
    non2xx: number
  }
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx
  }
}

// --- JavaScript shipped --------------------------------------------------------------------------------------

interface Shipped {
  readonly files: ReadonlyArray<{ readonly url: string; readonly gzip: number; readonly raw: number }>
}

/** Every script the page loads: its module scripts, what they import, and what they import on demand. */
const shippedJs = async (pageUrl: string): Promise<Shipped> => {
  const html = await (await fetch(pageUrl)).text()
  const files: Array<{ url: string; gzip: number; raw: number }> = []
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((match) => match[1]!).filter((code) => code.trim() !== "")
  for (const [index, code] of inline.entries()) {
    files.push({ url: `${pageUrl} (inline script ${index + 1})`, raw: Buffer.byteLength(code), gzip: gzipSync(code).length })
  }
  const queue = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/gi)].map((match) => new URL(match[1]!, pageUrl).toString())
  const seen = new Set<string>()
  for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
    if (seen.has(url)) continue
    seen.add(url)
    const code = await (await fetch(url)).text()
    files.push({ url, raw: Buffer.byteLength(code), gzip: gzipSync(code).length })
    const imports = [
      ...code.matchAll(/(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g),
      ...code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g)
    ]
    for (const match of imports) queue.push(new URL(match[1]!, url).toString())
  }
  return { files }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
const sum = (files: ReadonlyArray<{ gzip: number }>) => files.reduce((total, file) => total + file.gzip, 0)
const verdict = (ok: boolean) => (ok ? "meets target" : "MISSES target")

try {
  rmSync(profile.dataDir, { recursive: true, force: true })
  mkdirSync(profile.dataDir, { recursive: true })
  say("bringing up a stack of its own")
  await bringUp(profile, supervisor, { say })
  const videoId = await seed()
  const pages = { catalog: `${siteUrl}/`, watch: `${siteUrl}/videos/${videoId}` }
  for (const url of Object.values(pages)) {
    const response = await fetch(url)
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
    await response.text()
  }

  say(`measuring render time: autocannon, ${DURATION_SECONDS} s per run, on loopback`)
  const results: Record<string, Record<number, Load>> = {}
  for (const [name, url] of Object.entries(pages)) {
    results[name] = {}
    await load(url, 4) // warm-up: JIT, connection pools, Postgres caches
    for (const connections of [1, 10]) results[name]![connections] = await load(url, connections)
  }

  const catalogJs = await shippedJs(pages.catalog)
  const watchJs = await shippedJs(pages.watch)
  const hls = watchJs.files.filter((file) => /hls/.test(file.url))
  const own = watchJs.files.filter((file) => !/hls/.test(file.url))

  const lines = [
    "",
    `Site benchmark (${VIDEOS} public videos; Node ${process.version}; shared machine, figures are indicative)`,
    "",
    "Server render, autocannon on loopback:",
    "  page                 connections   req/s    p50      p99      errors"
  ]
  for (const [name, byConnections] of Object.entries(results)) {
    for (const [connections, result] of Object.entries(byConnections)) {
      lines.push(`  ${(name === "catalog" ? "/ (catalog)" : "/videos/[id]").padEnd(20)} ${connections.padStart(11)}   ${result.rps.toFixed(0).padStart(5)}  ${`${result.p50} ms`.padStart(7)}  ${`${result.p99} ms`.padStart(7)}  ${result.errors}`)
    }
  }
  const catalogP99 = results.catalog![1]!.p99
  const watchP99 = results.watch![1]!.p99
  lines.push(
    "",
    `  render p99 (1 connection): catalog ${catalogP99} ms, watch ${watchP99} ms; target ≤ ${TARGETS.renderP99Ms} ms: ` +
      `catalog ${verdict(catalogP99 <= TARGETS.renderP99Ms)} (${(catalogP99 / TARGETS.renderP99Ms).toFixed(2)}× of target), ` +
      `watch ${verdict(watchP99 <= TARGETS.renderP99Ms)} (${(watchP99 / TARGETS.renderP99Ms).toFixed(2)}×)`,
    "",
    "JavaScript shipped (gzip, level 6):",
    `  / (catalog):      ${kB(sum(catalogJs.files))} in ${catalogJs.files.length} files; target ≤ ${kB(TARGETS.catalogJsBytes)}: ${verdict(sum(catalogJs.files) <= TARGETS.catalogJsBytes)}`,
    `  /videos/[id]:     ${kB(sum(watchJs.files))} in ${watchJs.files.length} files = hls.js ${kB(sum(hls))} (loaded on demand) + ours ${kB(sum(own))}`,
    `                    ours ≤ ${kB(TARGETS.playerOwnJsBytes)}: ${verdict(sum(own) <= TARGETS.playerOwnJsBytes)} (${(sum(own) / TARGETS.playerOwnJsBytes).toFixed(2)}× of target)`,
    "",
    "  files on /videos/[id]:",
    ...watchJs.files.map((file) => `    ${kB(file.gzip).padStart(9)}  ${new URL(file.url.split(" ")[0]!).pathname}`),
    ""
  )
  process.stdout.write(`${lines.join("\n")}\n`)
  await finish(0)
} catch (error) {
  say(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  await finish(1)
}
