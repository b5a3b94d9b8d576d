import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { ROOT } from "./Profile.ts"

const SITE = join(ROOT, "site")
const STAMP = join(SITE, "dist", ".build-stamp")

const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })

/** A hash of everything the site build reads, so a second start skips an unchanged build. */
const sourceHash = (): string => {
  const hash = createHash("sha256")
  const inputs = [
    ...filesUnder(join(SITE, "src")),
    ...(existsSync(join(SITE, "public")) ? filesUnder(join(SITE, "public")) : []),
    join(SITE, "astro.config.mjs"),
    join(SITE, "package.json"),
    join(ROOT, "package-lock.json")
  ].sort()
  for (const file of inputs) {
    hash.update(relative(ROOT, file))
    hash.update(readFileSync(file))
  }
  return hash.digest("hex")
}

export const buildSiteIfStale = (log: (line: string) => void): void => {
  const want = sourceHash()
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === want) return
  log("building the site (astro build)")
  const build = spawnSync(process.execPath, [join(ROOT, "node_modules/astro/bin/astro.mjs"), "build"], {
    cwd: SITE,
    encoding: "utf8",
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1", NO_COLOR: "1" }
  })
  for (const line of `${build.stdout}${build.stderr}`.split("\n").filter((l) => l.trim() !== "")) log(line)
  if (build.status !== 0) throw new Error(`astro build failed (exit ${build.status})`)
  writeFileSync(STAMP, want)
}
