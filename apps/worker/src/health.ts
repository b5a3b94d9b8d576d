import { writeFileSync } from "node:fs"

export const HEALTH_STALE_AFTER_MS = 30_000

/**
 * Writes the Temporal worker's state and the time to a file every few seconds, for container healthchecks.
 * A file rather than a port: workers share the host network for WebRTC, so replicas could not all bind one port.
 */
export const writeHealthFile = (path: string, state: () => string): { stop(): void } => {
  const write = () => writeFileSync(path, JSON.stringify({ state: state(), at: Date.now() }))
  write()
  const timer = setInterval(write, 5_000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
