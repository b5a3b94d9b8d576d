// `npm run typecheck`: the whole repository (site excluded: astro checks its own) under the strict base config.
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { ROOT } from "./lib/Profile.ts"

execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT], { stdio: "inherit" })
