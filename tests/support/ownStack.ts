// An API and workers of a test's own, on a private task queue, for tests that kill a worker: the shared test
// stack's processes must never be killed (the test runner treats that as a crash).
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createServer } from "node:net"
import { join } from "node:path"
import { createInterface } from "node:readline"

const ROOT = new URL("../..", import.meta.url).pathname

export interface OwnProcess {
  readonly name: string
  readonly child: ChildProcess
  readonly output: Array<string>
  /** Resolves with the first output line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>
  /** SIGKILL to the whole process group: the process and its ffmpeg children die at once, like a lost machine. */
  killHard(): void
  stop(): Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

const start = (name: string, script: string, env: Record<string, string>): OwnProcess => {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a hard kill takes its children (ffmpeg) along.
    detached: true
  })
  const output: Array<string> = []
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = []
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      output.push(line)
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve(line)
        }
      }
    })
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return {
    name,
    child,
    output,
    waitForLine: (pattern, timeoutMs) => {
      const seen = output.find((line) => pattern.test(line))
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} printed nothing matching ${pattern} in ${timeoutMs} ms:\n${output.slice(-30).join("\n")}`)),
          timeoutMs
        )
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) })
      })
    },
    killHard: () => {
      try {
        process.kill(-child.pid!, "SIGKILL")
      } catch {
        // Already gone.
      }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      try {
        process.kill(-child.pid!, "SIGTERM")
      } catch {
        return
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL")
        } catch {
          // Gone meanwhile.
        }
      }, 20_000)
      await exited
      clearTimeout(timer)
    }
  }
}

/** An API of the test's own, with extra environment (say, a Temporal address where nothing answers). */
export const startOwnApi = async (env: Record<string, string> = {}): Promise<{ readonly apiUrl: string; readonly api: OwnProcess }> => {
  const port = await freePort()
  const apiUrl = `http://localhost:${port}`
  const api = start("own-api", "apps/api/src/main.ts", { API_PORT: String(port), PUBLIC_API_URL: apiUrl, ...env })
  try {
    await api.waitForLine(/Listening on/i, 120_000)
    return { apiUrl, api }
  } catch (error) {
    await api.stop()
    throw error
  }
}

export interface OwnStack {
  readonly apiUrl: string
  readonly taskQueue: string
  readonly api: OwnProcess
  readonly workers: ReadonlyArray<OwnProcess & { readonly liveHostQueue: string }>
  stop(): Promise<void>
}

/** Starts an API and `workers` workers sharing a private task queue, each with its extra environment. */
export const startOwnStack = async (options: {
  readonly workers: number
  readonly workerEnv?: Record<string, string>
  readonly apiEnv?: Record<string, string>
}): Promise<OwnStack> => {
  const taskQueue = `test-${randomBytes(4).toString("hex")}`
  const port = await freePort()
  const apiUrl = `http://localhost:${port}`
  const api = start("own-api", "apps/api/src/main.ts", {
    API_PORT: String(port),
    PUBLIC_API_URL: apiUrl,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...options.apiEnv
  })
  const workers = Array.from({ length: options.workers }, (_, index) =>
    start(`own-worker-${index}`, "apps/worker/src/main.ts", {
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_MANAGE_SCHEDULES: "false",
      ...options.workerEnv
    })
  )
  const stopAll = async () => {
    await Promise.all([...workers, api].map((process) => process.stop()))
  }
  try {
    await api.waitForLine(/Listening on/i, 120_000)
    const hostQueues = await Promise.all(workers.map((worker) => worker.waitForLine(/live host queue: /, 180_000)))
    await Promise.all(workers.map((worker) => worker.waitForLine(/worker is polling/, 180_000)))
    return {
      apiUrl,
      taskQueue,
      api,
      workers: workers.map((worker, index) => Object.assign(worker, { liveHostQueue: hostQueues[index]!.replace(/.*live host queue: /, "").trim() })),
      stop: stopAll
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}
