import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"

const STOP_GRACE_MS = 10_000
const LOG_TAIL_LINES = 20

/**
 * The ffmpeg process that turns the forwarded RTP into HLS. `stop` asks it to finish (`q` on stdin), which
 * closes the last segment and writes the final playlist; it is killed only if it does not finish in time.
 */
export class Packager {
  readonly exited: Promise<number | null>
  private readonly tail: Array<string> = []

  private readonly child: ChildProcess

  private constructor(child: ChildProcess, onLine: (line: string) => void) {
    this.child = child
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)))
    child.once("error", (error) => this.remember(`could not run ffmpeg: ${error.message}`))
    createInterface({ input: child.stderr! }).on("line", (line) => {
      this.remember(line)
      onLine(line)
    })
  }

  static start(ffmpegPath: string, args: ReadonlyArray<string>, onLine: (line: string) => void): Packager {
    const child = spawn(ffmpegPath, args, { stdio: ["pipe", "ignore", "pipe"] })
    // ffmpeg closing stdin early must not crash the worker.
    child.stdin!.on("error", () => {})
    return new Packager(child, onLine)
  }

  private remember(line: string) {
    this.tail.push(line)
    if (this.tail.length > LOG_TAIL_LINES) this.tail.shift()
  }

  /** The last lines ffmpeg printed, for failure reasons. */
  get lastLines(): string {
    return this.tail.join("\n")
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.child.stdin!.end("q")
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS)
    await this.exited
    clearTimeout(timer)
  }

  kill(): void {
    if (this.running) this.child.kill("SIGKILL")
  }
}
