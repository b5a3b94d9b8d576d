// `npm run start:prod`: the built api, worker and site against the Postgres, S3 and Temporal named in the environment.
import { existsSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "./lib/Profile.ts"
import { Supervisor } from "./lib/Supervisor.ts"

const dotenv = join(ROOT, ".env")
if (existsSync(dotenv)) process.loadEnvFile(dotenv)

const missing = ["DATABASE_URL", "TEMPORAL_ADDRESS", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET"]
  .filter((name) => (process.env[name] ?? "") === "")
const bundle = join(ROOT, "apps/worker/dist/workflow-bundle.js")
const site = join(ROOT, "site/dist/server/entry.mjs")
if (missing.length > 0) {
  console.error(`start:prod runs against your own services: set ${missing.join(", ")} (see .env.example)`)
  process.exit(2)
}
if (!existsSync(bundle) || !existsSync(site)) {
  console.error("nothing built yet: run `npm run build` first")
  process.exit(2)
}

const supervisor = new Supervisor()
let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  await supervisor.stopAll()
  process.exit(code)
}
process.on("SIGINT", () => void stop(0))
process.on("SIGTERM", () => void stop(0))
supervisor.onUnexpectedExit = (name, code) => {
  supervisor.log("prod", `${name} exited (code ${code}); stopping`)
  void stop(1)
}

const node = process.execPath
supervisor.spawn({ name: "api", command: node, args: [join(ROOT, "apps/api/src/main.ts")], cwd: ROOT })
supervisor.spawn({
  name: "worker",
  command: node,
  args: [join(ROOT, "apps/worker/src/main.ts")],
  env: { WORKFLOW_BUNDLE_PATH: bundle },
  cwd: ROOT,
  stopTimeoutMs: 60_000
})
supervisor.spawn({
  name: "site",
  command: node,
  args: [site],
  env: { HOST: process.env.HOST ?? "0.0.0.0", PORT: process.env.SITE_PORT ?? "3000" },
  cwd: join(ROOT, "site")
})
