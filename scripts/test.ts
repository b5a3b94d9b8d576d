// `npm test`: type-check, bring up a throwaway stack on its own ports, run every test against it, tear it down.
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { appEnv, ROOT, testProfile } from "./lib/Profile.ts"
import { stopLeftovers } from "./lib/Leftovers.ts"
import { bringUp, startApi, startSite, startWorker } from "./lib/Services.ts"
import { Supervisor } from "./lib/Supervisor.ts"

const profile = testProfile()
const pidFile = join(ROOT, ".data", `test-processes-${process.env.TEST_PORT_OFFSET ?? 0}.json`)
const supervisor = new Supervisor(pidFile)
const say = (line: string) => supervisor.log("test", line, 1)
// `--serve` keeps the test stack up for iterating: `source .data/test-env.sh && npx vitest run <file>`.
const serve = process.argv.includes("--serve")
const vitestArgs = process.argv.slice(2).filter((arg) => arg !== "--serve")

/** Environment shared by the stack's apps and the tests that talk to them. */
const ADMIN_TOKEN = "test-admin-token"
const testEnv = {
  ...appEnv(profile),
  ADMIN_TOKEN,
  MEDIA_SIGNING_SECRET: "test-media-signing-secret",
  API_URL: `http://127.0.0.1:${profile.ports.api}`,
  SITE_URL: `http://127.0.0.1:${profile.ports.site}`,
  TEST_OUTPUT_DIR: join(ROOT, "test-results")
}

if (!serve) {
  say("type-checking")
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT], { stdio: "inherit" })
}

mkdirSync(join(ROOT, ".data"), { recursive: true })
await stopLeftovers(pidFile, say)
rmSync(profile.dataDir, { recursive: true, force: true })
mkdirSync(profile.dataDir, { recursive: true })
mkdirSync(testEnv.TEST_OUTPUT_DIR, { recursive: true })

let stopping = false
const finish = async (code: number) => {
  if (stopping) return
  stopping = true
  await supervisor.stopAll()
  rmSync(profile.dataDir, { recursive: true, force: true })
  process.exit(code)
}
process.on("SIGINT", () => void finish(130))
process.on("SIGTERM", () => void finish(143))
// TRUST_PROXY: the view tests play many clients from one machine by naming them in x-forwarded-for.
const appEnvExtra = { ADMIN_TOKEN, MEDIA_SIGNING_SECRET: testEnv.MEDIA_SIGNING_SECRET, TRUST_PROXY: "true" }
// While serving, a killed app comes back with fresh code: `pkill -f apps/api/src/main.ts` reloads the API.
const restartable: Record<string, () => Promise<unknown>> = {
  api: () => startApi(profile, supervisor, appEnvExtra),
  worker: () => startWorker(profile, supervisor, appEnvExtra),
  site: () => startSite(profile, supervisor, appEnvExtra)
}
supervisor.onUnexpectedExit = (name, code) => {
  const restart = restartable[name]
  if (serve && restart !== undefined && !stopping) {
    say(`${name} exited (code ${code}); restarting it`)
    void restart()
    return
  }
  say(`${name} exited unexpectedly (code ${code})`)
  void finish(1)
}

const up = await bringUp(profile, supervisor, { say, appEnv: appEnvExtra }).then(
  () => true,
  (error) => {
    say(`the test stack did not come up: ${error instanceof Error ? error.message : String(error)}`)
    return false
  }
)
if (!up) {
  await finish(1)
  await new Promise(() => {})
}

if (serve) {
  const file = join(ROOT, ".data", "test-env.sh")
  writeFileSync(file, Object.entries(testEnv).map(([k, v]) => `export ${k}='${v}'`).join("\n") + "\n")
  say(`test stack is up; in another shell: source ${file} && npx vitest run <files>`)
  await new Promise(() => {})
}

say("running the tests")
const vitest = spawn(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", ...vitestArgs], {
  cwd: ROOT,
  env: { ...process.env, ...testEnv },
  stdio: "inherit"
})
const code: number = await new Promise((resolve) => vitest.on("exit", (exitCode) => resolve(exitCode ?? 1)))
say(code === 0 ? "all tests passed" : `tests failed (exit ${code})`)
await finish(code)
