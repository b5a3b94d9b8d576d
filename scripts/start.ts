// `npm start`: every server of the platform in the foreground, logs prefixed, Ctrl-C stops all, data kept.
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { stopLeftovers } from "./lib/Leftovers.ts"
import { appEnv, devProfile } from "./lib/Profile.ts"
import { bringUp } from "./lib/Services.ts"
import { Supervisor } from "./lib/Supervisor.ts"

const profile = devProfile()
const pidFile = join(profile.dataDir, "processes.json")
const supervisor = new Supervisor(pidFile)
const say = (line: string) => supervisor.log("stack", line, 1)
mkdirSync(profile.dataDir, { recursive: true })
await stopLeftovers(pidFile, say)

let shuttingDown = false
const shutdown = async (code: number) => {
  if (shuttingDown) return
  shuttingDown = true
  say("shutting down")
  await supervisor.stopAll()
  say("stopped; data kept in " + profile.dataDir)
  process.exit(code)
}
process.on("SIGINT", () => void shutdown(0))
process.on("SIGTERM", () => void shutdown(0))
supervisor.onUnexpectedExit = (name, code) => {
  say(`${name} exited unexpectedly (code ${code}); stopping the rest`)
  void shutdown(1)
}

try {
  await bringUp(profile, supervisor, { say })
} catch (error) {
  say(`start failed: ${error instanceof Error ? error.message : String(error)}`)
  await shutdown(1)
}

const env = appEnv(profile)
say("everything is up:")
for (const [what, where] of [
  ["site", env.SITE_ORIGIN],
  ["API", `${env.PUBLIC_API_URL}  (docs ${env.PUBLIC_API_URL}/api/docs, readiness ${env.PUBLIC_API_URL}/ready)`],
  ["Temporal UI", env.TEMPORAL_UI_URL],
  ["Temporal", env.TEMPORAL_ADDRESS],
  ["S3", `${env.S3_ENDPOINT}  bucket ${env.S3_BUCKET}`],
  ["Postgres", env.DATABASE_URL!.replace(/:[^:@/]+@/, ":***@")],
  ["data", profile.dataDir]
] as const) {
  say(`  ${what.padEnd(12)} ${where}`)
}
say("press Ctrl-C to stop")
