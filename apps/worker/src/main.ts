// The Temporal worker: runs workflows/ and activities/ on the media task queue.
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { createActivities, makeActivityRuntime } from "@reelbase/activities"
import { Client, Connection } from "@temporalio/client"
import { NativeConnection, Worker } from "@temporalio/worker"
import { Effect, Option } from "effect"
import { WorkerConfig } from "./Config.ts"
import { ensureViewResetSchedules } from "./schedules.ts"
import { ensureUploadCleanupSchedule } from "./uploadCleanupSchedule.ts"

const config = await Effect.runPromise(WorkerConfig)
const runtime = makeActivityRuntime()

const workflowSource = Option.match(Option.filter(config.workflowBundlePath, (path) => existsSync(path)), {
  onSome: (codePath: string) => ({ workflowBundle: { codePath } }),
  onNone: () => ({ workflowsPath: fileURLToPath(import.meta.resolve("@reelbase/workflows")) })
})

const connection = await NativeConnection.connect({ address: config.temporalAddress })
try {
  if (config.manageSchedules) {
    const clientConnection = await Connection.connect({ address: config.temporalAddress })
    await ensureViewResetSchedules(new Client({ connection: clientConnection, namespace: config.namespace }))
    await ensureUploadCleanupSchedule(new Client({ connection: clientConnection, namespace: config.namespace }), config.taskQueue)
    await clientConnection.close()
  }
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    ...workflowSource,
    activities: createActivities(runtime),
    maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities
  })
  console.log(`worker is polling task queue ${config.taskQueue} on ${config.temporalAddress}`)
  // Resolves after SIGINT/SIGTERM once in-flight tasks have finished or been handed back.
  await worker.run()
} finally {
  await connection.close()
  await runtime.dispose()
}
