import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"

const ROOT = new URL("../..", import.meta.url).pathname

/** A port nobody listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

export interface Spawned {
  readonly child: ChildProcess
  /** Everything it printed so far. */
  output(): string
  /** Resolves with the exit code once it has exited. */
  readonly exited: Promise<number | null>
  stop(): Promise<void>
}

/**
 * Runs one of the project's processes (`apps/api/src/main.ts`, `apps/worker/src/main.ts`) with the test stack's
 * environment plus `env`, and waits until it prints `ready` (or exits). Tests own these processes: they never
 * touch the stack's own api and worker.
 */
export const spawnApp = async (
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 150_000
): Promise<Spawned> => {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const spawned: Spawned = {
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      await exited
      clearTimeout(timer)
    }
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not print ${ready} within ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (ready.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    void exited.then(() => {
      clearTimeout(timer)
      if (!ready.test(output)) resolve()
    })
  })
  return spawned
}
