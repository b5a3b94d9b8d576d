import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"

interface Recorded {
  readonly pid: number
  readonly command: string
}

const commandLineOf = (pid: number): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")
  } catch {
    return undefined
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Remembers which processes a stack started, so a stack killed with SIGKILL can be cleaned up next time. */
export const recordProcesses = (file: string, processes: ReadonlyArray<Recorded>): void => {
  if (processes.length === 0) rmSync(file, { force: true })
  else writeFileSync(file, JSON.stringify(processes))
}

/**
 * Stops processes a previous run left behind (its supervisor was killed before it could stop them):
 * a leftover Postgres would hold its data directory and every server its port.
 */
export const stopLeftovers = async (file: string, log: (line: string) => void): Promise<void> => {
  if (!existsSync(file)) return
  const recorded = JSON.parse(readFileSync(file, "utf8")) as ReadonlyArray<Recorded>
  // Only the same program under the same pid: pids get reused.
  const leftovers = recorded.filter(({ pid, command }) => alive(pid) && commandLineOf(pid)?.startsWith(command) === true)
  for (const { pid, command } of leftovers) {
    log(`stopping ${command} (pid ${pid}) left over from an earlier run`)
    try {
      process.kill(-pid, "SIGTERM")
    } catch {
      process.kill(pid, "SIGTERM")
    }
  }
  const deadline = Date.now() + 30_000
  while (leftovers.some(({ pid }) => alive(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  for (const { pid } of leftovers.filter(({ pid }) => alive(pid))) process.kill(pid, "SIGKILL")
  rmSync(file, { force: true })
}
