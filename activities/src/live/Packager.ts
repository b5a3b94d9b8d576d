import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"

const STOP_GRACE_MS = 10_000
const LOG_TAIL_LINES = 20

/**
 * The ffmpeg process that turns the forwarded RTP into HLS. It ends when its input ends (the session sends RTCP
 * BYE); `finish` waits for that and kills it only if it does not come in time. Signals are no way to end it
 * cleanly: ffmpeg notices them only between packets, and a second one also aborts the final playlist write.
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
    // No stdin: ffmpeg must not read commands (or wait for a terminal) from the worker's.
    const child = spawn(ffmpegPath, ["-nostdin", ...args], { stdio: ["ignore", "ignore", "pipe"] })
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

  /** Waits for ffmpeg to finish after its input ended; kills it after a grace period. True if it finished by itself. */
  async finish(): Promise<boolean> {
    if (!this.running) return true
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      this.child.kill("SIGKILL")
    }, STOP_GRACE_MS)
    await this.exited
    clearTimeout(timer)
    return !killed
  }

  kill(): void {
    if (this.running) this.child.kill("SIGKILL")
  }
}
