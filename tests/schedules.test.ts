import { randomUUID } from "node:crypto"
import { VideoId, VideoRepo, ViewsRepo, hashSecret, newSecret } from "@reelbase/domain"
import type { ResetViewsResult } from "@reelbase/workflows/shared"
import { Client, Connection, type ScheduleDescription, ScheduleOverlapPolicy } from "@temporalio/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { scheduleTargetFor } from "../apps/worker/src/scheduleTarget.ts"
import { ensureViewResetSchedules, viewResetScheduleOptions, viewResetSchedules } from "../apps/worker/src/schedules.ts"
import { testEnv } from "./support/env.ts"
import { isolatedDatabase } from "./support/isolatedDatabase.ts"
import { type Spawned, spawnApp } from "./support/spawned.ts"

const connection = await Connection.connect({ address: testEnv.temporalAddress })
const client = new Client({ connection, namespace: testEnv.temporalNamespace })

// A second worker: its own task queue and database (its resets must not touch the stack's counters), and it
// manages the Schedules on start like every worker does.
const taskQueue = `views-schedules-${randomUUID()}`
const db = await isolatedDatabase("schedules")
let worker: Spawned | undefined
afterAll(async () => {
  await worker?.stop()
  await db.drop()
  await connection.close()
})

/** The stack's own worker polls the default queue, so its Schedules have the plain ids. */
const stackTarget = scheduleTargetFor("media")

const describeBoth = () =>
  Promise.all(["views-reset-daily", "views-reset-monthly"].map((id) => client.schedule.getHandle(id).describe()))

/** What an operator relies on: when it runs, what it starts, and how it behaves when late or overlapping. */
const essentials = (schedule: ScheduleDescription) => ({
  spec: schedule.spec,
  action: schedule.action,
  policies: schedule.policies,
  note: schedule.state.note,
  paused: schedule.state.paused
})

const utcDay = (daysBack: number) => new Date(Date.now() - daysBack * 86_400_000).toISOString().slice(0, 10)

describe("view reset schedules", () => {
  it("exist after the worker started, and ensuring them again changes nothing", async () => {
    const before = await describeBoth()
    await ensureViewResetSchedules(client, stackTarget)
    await ensureViewResetSchedules(client, stackTarget)
    const after = await describeBoth()

    for (const [index, schedule] of after.entries()) {
      expect(schedule.spec).toEqual(before[index]!.spec)
      expect(schedule.action).toMatchObject({ type: "startWorkflow", workflowType: "resetViews", taskQueue: "media" })
      expect(schedule.policies.overlap).toBe("SKIP")
    }
    // The server stores the cron as a calendar: midnight UTC daily, and on the 1st for the monthly one.
    expect(after[0]!.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })
    expect(after[1]!.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] })
    expect(after[0]!.spec.timezone).toBe("UTC")
    expect(after.map((schedule) => schedule.policies.catchupWindow)).toEqual([86_400_000, 7 * 86_400_000])
    expect(after.map((schedule) => schedule.action.type === "startWorkflow" && schedule.action.args)).toEqual([
      [{ period: "day" }],
      [{ period: "month" }]
    ])
    expect(after[0]!.state.note).toContain("00:00 UTC")
    const ids = []
    for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId)
    expect(ids.filter((id) => id.startsWith("views-reset-")).sort()).toEqual(["views-reset-daily", "views-reset-monthly"])
  })

  it("stay paused when an operator paused one", async () => {
    const daily = client.schedule.getHandle("views-reset-daily")
    await daily.pause("investigating counts")
    try {
      await ensureViewResetSchedules(client, stackTarget)
      const { state } = await daily.describe()
      expect(state).toMatchObject({ paused: true, note: "investigating counts" })
    } finally {
      await daily.unpause("done")
    }
    await ensureViewResetSchedules(client, stackTarget)
    expect((await daily.describe()).state).toMatchObject({ paused: false, note: expect.stringContaining("00:00 UTC") })
  })

  it("are found, not duplicated or changed, when a worker on another queue starts; that one gets its own", async () => {
    const before = (await describeBoth()).map(essentials)
    worker = await spawnApp(
      "apps/worker/src/main.ts",
      { TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, WORKER_MANAGE_SCHEDULES: "true" },
      /worker is polling/
    )
    expect(worker.output()).toMatch(/worker is polling task queue views-schedules-/)
    expect((await describeBoth()).map(essentials)).toEqual(before)
    const ids = []
    for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId)
    expect(ids.filter((id) => id.startsWith("views-reset-")).sort()).toEqual(["views-reset-daily", "views-reset-monthly"])
    // Its resets would act on its own database, so they run on its own queue, under ids prefixed with it.
    const own = await client.schedule.getHandle(`${taskQueue}-views-reset-daily`).describe()
    expect(own.action).toMatchObject({ type: "startWorkflow", workflowType: "resetViews", taskQueue })
    for (const id of ids.filter((id) => id.startsWith(`${taskQueue}-`))) await client.schedule.getHandle(id).delete()
  })

  it("run resetViews as of each run's due time, and list the runs as recent actions", async () => {
    // The daily schedule exactly as production has it, pointed at the second worker's queue.
    const idPrefix = `test-${randomUUID().slice(0, 8)}-`
    const options = viewResetScheduleOptions(viewResetSchedules[0]!, { taskQueue, idPrefix })
    const handle = await client.schedule.create(options)
    try {
      const video = await db.runtime.runPromise(VideoRepo.use((repo) =>
        repo.create({
          id: VideoId.make(randomUUID()),
          title: "Scheduled",
          description: "",
          visibility: "PUBLIC",
          videoType: "VOD",
          status: "READY",
          manageTokenHash: hashSecret(newSecret())
        })
      ))
      await db.runtime.runPromise(ViewsRepo.use((views) =>
        views.record({ videoId: video.id, ip: "203.0.113.1", userAgent: null, dedupWindowSeconds: 0, allowPrivate: false })
      ))

      const runs = async (count: number) => {
        for (let tries = 0; tries < 600; tries++) {
          const { info } = await handle.describe()
          if (info.recentActions.length >= count && info.runningActions.length === 0) return info.recentActions
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
        throw new Error(`the schedule did not complete ${count} runs`)
      }
      const result = (action: Awaited<ReturnType<typeof runs>>[number]) =>
        client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId)
          .result() as Promise<ResetViewsResult>

      // A run missed three days ago, as catching up after an outage would start it: it closes the day before
      // that midnight, not the day before today.
      const missedMidnight = new Date(`${utcDay(3)}T00:00:00Z`)
      await handle.backfill({
        start: new Date(missedMidnight.getTime() - 60_000),
        end: new Date(missedMidnight.getTime() + 60_000),
        overlap: ScheduleOverlapPolicy.ALLOW_ALL
      })
      const [missed] = await runs(1)
      expect(missed!.action.workflow.workflowId).toBe(`${idPrefix}reset-views-day-${utcDay(3)}T00:00:00Z`)
      expect(await result(missed!)).toEqual({ period: "day", closes: utcDay(4), outcome: "Applied", videosReset: 1, claimsPurged: 0 })

      await handle.trigger()
      const [, triggered] = await runs(2)
      expect(triggered!.action.workflow.workflowId.startsWith(`${idPrefix}reset-views-day-`)).toBe(true)
      expect(await result(triggered!)).toEqual({ period: "day", closes: utcDay(1), outcome: "Applied", videosReset: 0, claimsPurged: 0 })
    } finally {
      await handle.delete()
    }
  })
})
