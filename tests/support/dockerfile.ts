// Reads Dockerfiles, and runs their stages on this machine (there is no Docker engine here) so a test can
// check that an image's install and copy steps produce something that starts.
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join, resolve } from "node:path"

export interface Instruction {
  readonly keyword: string
  readonly args: string
  readonly line: number
}

export interface Stage {
  readonly base: string
  readonly name: string | undefined
  readonly instructions: ReadonlyArray<Instruction>
}

/** Instructions grouped by stage; comments dropped, `\` continuations joined. */
export const parseDockerfile = (text: string): ReadonlyArray<Stage> => {
  const stages: Array<{ base: string; name: string | undefined; instructions: Array<Instruction> }> = []
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let line = lines[i]!.trim()
    if (line === "" || line.startsWith("#")) continue
    while (line.endsWith("\\") && i + 1 < lines.length) {
      line = `${line.slice(0, -1).trim()} ${lines[++i]!.trim()}`
    }
    const [keyword = "", ...rest] = line.split(/\s+/)
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" "), line: start + 1 }
    if (instruction.keyword === "FROM") {
      const [base = "", as, name] = rest
      stages.push({ base, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] })
    } else {
      stages.at(-1)?.instructions.push(instruction)
    }
  }
  return stages
}

export interface CopyArgs {
  readonly from: string | undefined
  readonly sources: ReadonlyArray<string>
  readonly destination: string
}

export const parseCopy = (args: string): CopyArgs => {
  const words = args.split(/\s+/)
  const flags = words.filter((word) => word.startsWith("--"))
  const paths = words.filter((word) => !word.startsWith("--"))
  const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length)
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" }
}

const IGNORED = new Set(["node_modules", ".tools", ".data", "dist", ".astro", "test-results", ".git"])

export interface BuiltImage {
  /** Every stage's files: remove it when done. */
  readonly scratch: string
  /** The final stage's filesystem root (what `/app` maps to). */
  readonly root: string
  /** Working directory of the final stage, inside root. */
  readonly cwd: string
  readonly env: Record<string, string>
  readonly cmd: ReadonlyArray<string>
}

/**
 * Runs a Dockerfile's stages here: COPY from the repository or an earlier stage, RUN with the local Node,
 * ENV/WORKDIR/CMD recorded. `/app` (the images' WORKDIR) maps to a temporary folder per stage. System
 * package installs (apt-get) are skipped: this machine already has ffmpeg.
 */
export const buildLocally = (repo: string, dockerfile: string): BuiltImage => {
  const stages = parseDockerfile(readFileSync(join(repo, dockerfile), "utf8"))
  const scratch = mkdtempSync(join(tmpdir(), `image-${basename(dockerfile, ".Dockerfile")}-`))
  const built = new Map<string, BuiltImage>()
  let last: BuiltImage | undefined
  stages.forEach((stage, index) => {
    const root = join(scratch, `stage-${index}`)
    const inherited = built.get(stage.base)
    if (inherited) cpSync(inherited.root, root, { recursive: true, verbatimSymlinks: true })
    else mkdirSync(root, { recursive: true })
    const mapApp = (text: string) => text.replaceAll(/(^|[\s=:"'])\/app(?=\/|\s|$|")/g, `$1${root}`)
    // A stage built FROM an earlier one starts with a copy of it: move its paths over to the copy.
    const rebase = (path: string) => (inherited === undefined ? path : path.replaceAll(inherited.root, root))
    let cwd = rebase(inherited?.cwd ?? root)
    const env: Record<string, string> = Object.fromEntries(Object.entries(inherited?.env ?? {}).map(([k, v]) => [k, rebase(v)]))
    let cmd: ReadonlyArray<string> = (inherited?.cmd ?? []).map(rebase)
    for (const { keyword, args } of stage.instructions) {
      switch (keyword) {
        case "WORKDIR":
          cwd = resolve(cwd, mapApp(args))
          mkdirSync(cwd, { recursive: true })
          break
        case "ENV":
          for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[match[1]!] = mapApp(match[2]!.replaceAll('"', ""))
          break
        case "COPY": {
          const copy = parseCopy(args)
          const destination = resolve(cwd, mapApp(copy.destination))
          for (const source of copy.sources) {
            const from = copy.from === undefined ? join(repo, source) : join(built.get(copy.from)!.root, source.replace(/^\/app\/?/, ""))
            const target = copy.destination.endsWith("/") ? join(destination, basename(source)) : destination
            mkdirSync(dirname(target), { recursive: true })
            cpSync(from, target, {
              recursive: true,
              verbatimSymlinks: true,
              filter: (path) => copy.from !== undefined || !IGNORED.has(basename(path)) || statSync(path).isFile()
            })
          }
          break
        }
        case "RUN":
          if (/^apt-get\b/.test(args)) break
          // Cleaning the npm cache slims an image; here it would wipe this machine's shared cache.
          execFileSync("bash", ["-euo", "pipefail", "-c", mapApp(args).replaceAll("npm cache clean --force", "true")], {
            cwd,
            env: { ...process.env, ...env },
            stdio: "pipe"
          })
          break
        case "CMD":
          cmd = (JSON.parse(args) as Array<string>).map(mapApp)
          break
      }
    }
    last = { scratch, root, cwd, env, cmd }
    built.set(stage.name ?? `#${index}`, last)
  })
  if (last === undefined || !existsSync(last.root)) throw new Error(`${dockerfile} has no stages`)
  return last
}
