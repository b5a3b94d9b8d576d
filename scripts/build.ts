// `npm run build`: type-check everything, prebuild the workflow bundle, build the site for production.
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { bundleWorkflows } from "../apps/worker/src/bundleWorkflows.ts"
import { ROOT } from "./lib/Profile.ts"

const step = (what: string) => console.log(`\n== ${what}`)

step("type-check (tsc, strict)")
execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT], { stdio: "inherit" })

step("workflow bundle")
console.log(`written to ${await bundleWorkflows()}`)

step("site (astro build)")
execFileSync(process.execPath, [join(ROOT, "node_modules/astro/bin/astro.mjs"), "build"], {
  cwd: join(ROOT, "site"),
  stdio: "inherit",
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" }
})

console.log(`
Built. The api and worker run their TypeScript sources directly on Node >= 22.12 (type stripping, no emit):
  npm run start:prod   (or: node apps/api/src/main.ts · WORKFLOW_BUNDLE_PATH=apps/worker/dist/workflow-bundle.js node apps/worker/src/main.ts · node site/dist/server/entry.mjs)`)
