// `npm run typecheck`: the whole repository under the strict base config (the site's .ts modules too; its .astro templates are compiled, not type-checked, by the site build).
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { ROOT } from "./lib/Profile.ts"

execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT], { stdio: "inherit" })
