// The Temporal worker: runs workflows/ and activities/ on the media task queue, and live sessions' pinned
// activities on a task queue of its own.
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { hostname } from "node:os"
import { fileURLToPath } from "node:url"
import {
  createActivities,
  createLiveActivities,
  loadLiveIngestSettings,
  makeActivityRuntime,
  SessionRegistry
} from "@reelbase/activities"
import { Client, Connection } from "@temporalio/client"
import { NativeConnection, Worker } from "@temporalio/worker"
import { Effect, Option } from "effect"
import { WorkerConfig } from "./Config.ts"
import { writeHealthFile } from "./health.ts"
import { scheduleTargetFor } from "./scheduleTarget.ts"
import { ensureViewResetSchedules } from "./schedules.ts"
import { ensureUploadCleanupSchedule } from "./uploadCleanupSchedule.ts"

const config = await Effect.runPromise(WorkerConfig)
const liveSettings = await Effect.runPromise(loadLiveIngestSettings)
const runtime = makeActivityRuntime()
// Only this process polls it: a live session's peer lives in this process's memory (worker-specific task queue).
const liveHostQueue = `${config.taskQueue}-live-${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`
const liveSessions = new SessionRegistry()

const workflowSource = Option.match(Option.filter(config.workflowBundlePath, (path) => existsSync(path)), {
  onSome: (codePath: string) => ({ workflowBundle: { codePath } }),
  onNone: () => ({ workflowsPath: fileURLToPath(import.meta.resolve("@reelbase/workflows")) })
})

const connection = await NativeConnection.connect({ address: config.temporalAddress })
try {
  if (config.manageSchedules) {
    const clientConnection = await Connection.connect({ address: config.temporalAddress })
    const client = new Client({ connection: clientConnection, namespace: config.namespace })
    const target = scheduleTargetFor(config.taskQueue)
    await ensureViewResetSchedules(client, target)
    await ensureUploadCleanupSchedule(client, target)
    await clientConnection.close()
  }
  const activities = {
    ...createActivities(runtime),
    ...createLiveActivities(runtime, { settings: liveSettings, hostQueue: liveHostQueue, registry: liveSessions })
  }
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    ...workflowSource,
    activities,
    maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities
  })
  const liveHost = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: liveHostQueue,
    activities,
    // Live supervisors heartbeat every second; without this the SDK would hold heartbeats back for 8 s.
    maxHeartbeatThrottleInterval: "1 second"
  })
  const healthFile = Option.getOrUndefined(Option.filter(config.healthFile, (path) => path !== ""))
  const health = healthFile === undefined ? undefined : writeHealthFile(healthFile, () => worker.getState())
  console.log(`worker is polling task queue ${config.taskQueue} on ${config.temporalAddress}`)
  console.log(`live host queue: ${liveHostQueue}`)
  // Resolves after SIGINT/SIGTERM once in-flight tasks have finished or been handed back.
  await Promise.all([worker.run(), liveHost.run()])
  await liveSessions.stopAll()
  health?.stop()
} finally {
  await connection.close()
  await runtime.dispose()
}
