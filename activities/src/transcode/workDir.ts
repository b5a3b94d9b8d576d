import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"

const PREFIX = "reelbase-transcode-"

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Folders of workers that died without cleaning up (SIGKILL, power loss) carry their pid in the name; any
 * whose pid is gone is removed. Folders of live workers on the same machine are left alone.
 */
const sweepAbandoned = Effect.promise(async () => {
  const base = tmpdir()
  const entries = await readdir(base).catch(() => [] as Array<string>)
  await Promise.all(entries
    .filter((name) => name.startsWith(PREFIX))
    .filter((name) => {
      const pid = Number(name.slice(PREFIX.length).split("-")[0])
      return Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)
    })
    .map((name) => rm(join(base, name), { recursive: true, force: true })))
})

/** A private temp folder for one activity attempt, removed when the scope closes: success, failure or cancellation. */
export const workDir = Effect.acquireRelease(
  sweepAbandoned.pipe(Effect.andThen(Effect.promise(() => mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`))))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)
