import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { recordProcesses } from "./Leftovers.ts"

const COLORS = [36, 35, 33, 32, 34, 91, 96, 95, 93]
const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined

export interface ProcessSpec {
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env?: Record<string, string | undefined>
  readonly cwd?: string
  readonly uid?: number
  readonly gid?: number
  /** Signal that makes this program shut down cleanly. */
  readonly stopSignal?: NodeJS.Signals
  /** How long a clean shutdown may take before SIGKILL. */
  readonly stopTimeoutMs?: number
  /** Lines matching this are not echoed (noisy but harmless output). */
  readonly quiet?: RegExp
  /** Servers (infra) stop together after every app has stopped. */
  readonly tier?: "infra" | "app"
}

export interface Managed {
  readonly name: string
  readonly tier: "infra" | "app"
  readonly pid: number
  readonly exited: Promise<number | null>
  /** Resolves with the first output line matching the pattern. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>
  stop(): Promise<void>
}

/**
 * Runs the stack's processes in the foreground: every line prefixed with its process name,
 * each child in its own process group so a terminal Ctrl-C reaches only the supervisor,
 * which then stops them in reverse start order.
 */
export class Supervisor {
  private readonly running: Array<Managed> = []
  private readonly commands = new Map<Managed, string>()

  private readonly pidFile: string | undefined

  /** pidFile: where the running processes are recorded, for stopLeftovers after a hard kill. */
  constructor(pidFile?: string) {
    this.pidFile = pidFile
  }

  private record(): void {
    if (this.pidFile === undefined) return
    recordProcesses(this.pidFile, this.running.map((m) => ({ pid: m.pid, command: this.commands.get(m) ?? "" })))
  }

  private stopping = false
  private nameWidth = 8
  private colorIndex = 0
  onUnexpectedExit: (name: string, code: number | null) => void = () => {}

  log(name: string, line: string, color = 90): void {
    const label = name.padEnd(this.nameWidth)
    process.stdout.write(useColor ? `\x1b[${color}m${label} |\x1b[0m ${line}\n` : `${label} | ${line}\n`)
  }

  spawn(spec: ProcessSpec): Managed {
    const color = COLORS[this.colorIndex++ % COLORS.length] ?? 37
    this.nameWidth = Math.max(this.nameWidth, spec.name.length)
    const child: ChildProcess = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid })
    })
    const watchers = new Set<(line: string) => void>()
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue
      createInterface({ input: stream }).on("line", (line) => {
        for (const watcher of watchers) watcher(line)
        if (spec.quiet === undefined || !spec.quiet.test(line)) this.log(spec.name, line, color)
      })
    }
    const exited = new Promise<number | null>((resolve) => {
      child.on("exit", (code, signal) => resolve(code ?? (signal === null ? null : 128)))
      child.on("error", (error) => {
        this.log(spec.name, `failed to start: ${error.message}`, 31)
        resolve(127)
      })
    })
    const managed: Managed = {
      name: spec.name,
      tier: spec.tier ?? "app",
      pid: child.pid ?? -1,
      exited,
      waitForLine: (pattern, timeoutMs) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            watchers.delete(watcher)
            reject(new Error(`${spec.name}: no line matching ${pattern} within ${timeoutMs} ms`))
          }, timeoutMs)
          const watcher = (line: string) => {
            if (!pattern.test(line)) return
            clearTimeout(timer)
            watchers.delete(watcher)
            resolve(line)
          }
          watchers.add(watcher)
          void exited.then((code) => {
            clearTimeout(timer)
            reject(new Error(`${spec.name} exited (code ${code}) before printing ${pattern}`))
          })
        }),
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        signalGroup(child, spec.stopSignal ?? "SIGTERM")
        const timer = setTimeout(() => {
          this.log(spec.name, "did not stop in time; killing it", 31)
          signalGroup(child, "SIGKILL")
        }, spec.stopTimeoutMs ?? 15_000)
        await exited
        clearTimeout(timer)
      }
    }
    void exited.then((code) => {
      const index = this.running.indexOf(managed)
      if (index >= 0) this.running.splice(index, 1)
      this.record()
      if (!this.stopping) this.onUnexpectedExit(spec.name, code)
    })
    this.running.push(managed)
    this.commands.set(managed, spec.command)
    this.record()
    return managed
  }

  get pids(): Array<number> {
    return this.running.map((m) => m.pid)
  }

  /** Stops the apps, last started first, then the servers they used, together. */
  async stopAll(): Promise<void> {
    this.stopping = true
    const apps = this.running.filter((m) => m.tier === "app").reverse()
    for (const managed of apps) {
      this.log("stack", `stopping ${managed.name}`)
      await managed.stop()
    }
    const servers = this.running.filter((m) => m.tier === "infra")
    this.log("stack", `stopping ${servers.map((m) => m.name).join(", ")}`)
    await Promise.all(servers.map((m) => m.stop()))
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    child.kill(signal)
  }
}

export const waitUntil = async (
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      if (await check()) return
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ""}`)
}
