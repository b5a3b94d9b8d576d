// An api and workers of the test's own, on a private task queue, for tests that must kill or limit them
// without touching the shared stack's processes.
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"

const ROOT = new URL("../..", import.meta.url).pathname

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

export interface OwnProcess {
  readonly pid: number
  readonly child: ChildProcess
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output(): string
  stop(): Promise<void>
}

/** Everything started here, registered at spawn time so a failed start is stopped too. */
const started = new Set<OwnProcess>()

/** Stops every process the test started (call from afterAll, also when beforeAll failed half-way). */
export const stopOwnProcesses = async () => {
  await Promise.all([...started].map((own) => own.stop()))
  started.clear()
}

const start = (script: string, env: Record<string, string>): OwnProcess => {
  const child = spawn(process.execPath, [join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal }))
  )
  const own: OwnProcess = {
    pid: child.pid!,
    child,
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      await exited
      clearTimeout(timer)
    }
  }
  started.add(own)
  return own
}

const waitFor = async (what: string, check: () => Promise<boolean>, own: OwnProcess, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (own.child.exitCode !== null) throw new Error(`${what} exited early:\n${own.output()}`)
    // Each check is bounded: a fetch to a port still coming up can otherwise hang for minutes.
    if (await check().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${what} was not ready in ${timeoutMs} ms:\n${own.output()}`)
}

/** An API process on a free port, sending workflows to `taskQueue`; resolves once /health answers. */
export const startOwnApi = async (taskQueue: string, extraEnv: Record<string, string> = {}) => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const api = start("apps/api/src/main.ts", { TEMPORAL_TASK_QUEUE: taskQueue, API_PORT: String(port), PUBLIC_API_URL: url, ...extraEnv })
  await waitFor("api", async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok, api, 120_000)
  return { ...api, url }
}

/** A worker polling `taskQueue` (schedules left to the shared stack's worker); resolves once it polls. */
export const startOwnWorker = async (taskQueue: string) => {
  const worker = start("apps/worker/src/main.ts", { TEMPORAL_TASK_QUEUE: taskQueue, WORKER_MANAGE_SCHEDULES: "false" })
  await waitFor("worker", async () => worker.output().includes("worker is polling"), worker, 180_000)
  return worker
}
