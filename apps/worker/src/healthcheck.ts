// Container HEALTHCHECK: healthy while the worker is RUNNING and has written its health file recently.
import { readFileSync } from "node:fs"
import { HEALTH_STALE_AFTER_MS } from "./health.ts"

const path = process.env.WORKER_HEALTH_FILE ?? "/tmp/worker-health.json"
try {
  const { state, at } = JSON.parse(readFileSync(path, "utf8")) as { state: string; at: number }
  const fresh = Date.now() - at < HEALTH_STALE_AFTER_MS
  console.log(`worker ${state}, health written ${Math.round((Date.now() - at) / 1000)} s ago`)
  process.exit(state === "RUNNING" && fresh ? 0 : 1)
} catch (error) {
  console.log(`no readable health file at ${path}: ${String(error)}`)
  process.exit(1)
}
