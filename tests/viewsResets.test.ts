import { randomUUID } from "node:crypto"
import {
  hashSecret,
  newSecret,
  type ViewReset,
  VideoId,
  VideoRepo,
  type ViewToRecord,
  ViewsRepo
} from "@reelbase/domain"
import type { ResetViewsResult } from "@reelbase/workflows/shared"
import { ApplicationFailure, Client, Connection, WorkflowFailedError } from "@temporalio/client"
import { Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testEnv } from "./support/env.ts"
import { isolatedDatabase } from "./support/isolatedDatabase.ts"
import { type Spawned, spawnApp } from "./support/spawned.ts"

// Resets zero every video's counter: each test here works in a database of its own, never the stack's.
type Database = Awaited<ReturnType<typeof isolatedDatabase>>
const databases: Array<Database> = []
const freshDatabase = async () => {
  const db = await isolatedDatabase("resets")
  databases.push(db)
  return db
}
afterAll(async () => {
  for (const db of databases) await db.drop()
})

const utcDay = (daysBack: number) => new Date(Date.now() - daysBack * 86_400_000).toISOString().slice(0, 10)
const utcMonth = (monthsBack: number) => {
  const now = new Date()
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1)).toISOString().slice(0, 7)
}

const seed = (db: Database) =>
  db.runtime.runPromise(VideoRepo.use((repo) =>
    repo.create({
      id: VideoId.make(randomUUID()),
      title: "Reset me",
      description: "",
      visibility: "PUBLIC",
      videoType: "VOD",
      status: "READY",
      manageTokenHash: hashSecret(newSecret())
    })
  ))

const view = (videoId: VideoId, ip: string = randomUUID()): ViewToRecord => ({
  videoId,
  ip,
  userAgent: "resets-test",
  dedupWindowSeconds: 0,
  allowPrivate: false
})

const record = (db: Database, videoId: VideoId, times = 1) =>
  db.runtime.runPromise(ViewsRepo.use((views) => Effect.forEach(Array.from({ length: times }, () => view(videoId)), views.record)))

const reset = (db: Database, resetting: ViewReset) => db.runtime.runPromise(ViewsRepo.use((views) => views.resetPeriod(resetting)))

const counters = async (db: Database, videoId: VideoId) => {
  const [row] = await db.sql<{ viewsToday: bigint; viewsMonth: bigint; viewsTotal: bigint; lastViewReset: Date | null }>`
    SELECT views_today, views_month, views_total, last_view_reset FROM videos WHERE id = ${videoId}`
  return {
    viewsToday: Number(row!.viewsToday),
    viewsMonth: Number(row!.viewsMonth),
    viewsTotal: Number(row!.viewsTotal),
    lastViewReset: row!.lastViewReset
  }
}

/** Every counter matches the log: total over all of it, today and month since their own reset stamps. */
const history = async (db: Database, videoId: VideoId) => {
  const [row] = await db.sql<Record<string, bigint>>`
    SELECT
      (SELECT count(*) FROM video_view_logs l WHERE l.video_id = v.id) AS logged,
      (SELECT count(*) FROM video_view_logs l WHERE l.video_id = v.id AND l.viewed_at >= coalesce(v.views_today_since, '-infinity')) AS logged_today,
      (SELECT count(*) FROM video_view_logs l WHERE l.video_id = v.id AND l.viewed_at >= coalesce(v.views_month_since, '-infinity')) AS logged_month,
      (SELECT coalesce(sum(views), 0) FROM video_views_daily d WHERE d.video_id = v.id) AS daily_sum
    FROM videos v WHERE v.id = ${videoId}`
  return {
    viewsToday: Number(row!.loggedToday),
    viewsMonth: Number(row!.loggedMonth),
    viewsTotal: Number(row!.logged),
    dailySum: Number(row!.dailySum)
  }
}

describe("resetting view counters", () => {
  it("zeroes views_today on the videos with views, stamps last_view_reset, and a second run changes nothing", async () => {
    const db = await freshDatabase()
    const watched = await seed(db)
    const unwatched = await seed(db)
    await record(db, watched.id, 3)

    const first = await reset(db, { period: "day", closes: utcDay(1) })
    expect(first).toMatchObject({ _tag: "Applied", videosReset: 1 })
    expect(await counters(db, watched.id)).toEqual({ viewsToday: 0, viewsMonth: 3, viewsTotal: 3, lastViewReset: expect.any(Date) })
    expect((await counters(db, unwatched.id)).viewsToday).toBe(0)

    // Views after the reset, then the same reset again (a retried activity, an operator re-running it).
    await record(db, watched.id, 2)
    const again = await reset(db, { period: "day", closes: utcDay(1) })
    expect(again).toEqual({ _tag: "AlreadyDone", videosReset: 1, resetAt: first._tag === "Applied" ? first.resetAt : undefined })
    expect(await counters(db, watched.id)).toMatchObject({ viewsToday: 2, viewsMonth: 5, viewsTotal: 5 })
    expect(await db.sql`SELECT period, outcome, videos_reset FROM view_resets`).toEqual([
      { period: "day", outcome: "applied", videosReset: 1 }
    ])
    expect(await history(db, watched.id)).toEqual({ viewsToday: 2, viewsMonth: 5, viewsTotal: 5, dailySum: 5 })
  })

  it("runs the same reset concurrently once", async () => {
    const db = await freshDatabase()
    const video = await seed(db)
    await record(db, video.id, 4)
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => reset(db, { period: "day", closes: utcDay(1) })))
    expect(outcomes.map((outcome) => outcome._tag).sort()).toEqual(["AlreadyDone", "AlreadyDone", "AlreadyDone", "AlreadyDone", "Applied"])
    expect(await counters(db, video.id)).toMatchObject({ viewsToday: 0, viewsMonth: 4, viewsTotal: 4 })
  })

  it("zeroes views_month only, on a monthly reset", async () => {
    const db = await freshDatabase()
    const video = await seed(db)
    await record(db, video.id, 2)
    expect(await reset(db, { period: "month", closes: utcMonth(1) })).toMatchObject({ _tag: "Applied", videosReset: 1 })
    expect(await counters(db, video.id)).toMatchObject({ viewsToday: 2, viewsMonth: 0, viewsTotal: 2 })
    expect(await reset(db, { period: "month", closes: utcMonth(1) })).toMatchObject({ _tag: "AlreadyDone" })
    expect(await history(db, video.id)).toEqual({ viewsToday: 2, viewsMonth: 0, viewsTotal: 2, dailySum: 2 })
  })

  it("does not let a late reset of an older period zero the views counted since a newer one", async () => {
    const db = await freshDatabase()
    const video = await seed(db)
    await reset(db, { period: "day", closes: utcDay(1) })
    await record(db, video.id, 3)
    expect(await reset(db, { period: "day", closes: utcDay(4) })).toEqual({ _tag: "Superseded" })
    expect(await reset(db, { period: "day", closes: utcDay(4) })).toEqual({ _tag: "Superseded" })
    expect((await counters(db, video.id)).viewsToday).toBe(3)
  })

  it("refuses a period that has not ended, and a malformed one, changing nothing", async () => {
    const db = await freshDatabase()
    const video = await seed(db)
    await record(db, video.id, 1)
    const attempt = (resetting: ViewReset) =>
      db.runtime.runPromiseExit(ViewsRepo.use((views) => views.resetPeriod(resetting)))
    const failureTag = (exit: Exit.Exit<unknown, { _tag: string }>) =>
      Exit.isFailure(exit) ? exit.cause.reasons.map((reason) => reason._tag === "Fail" ? reason.error._tag : reason._tag) : []

    expect(failureTag(await attempt({ period: "day", closes: utcDay(0) }))).toEqual(["PeriodNotEnded"])
    expect(failureTag(await attempt({ period: "month", closes: utcMonth(0) }))).toEqual(["PeriodNotEnded"])
    expect(failureTag(await attempt({ period: "day", closes: "2026-02-30" }))).toEqual(["InvalidPeriod"])
    expect(failureTag(await attempt({ period: "month", closes: utcDay(40) }))).toEqual(["InvalidPeriod"])
    expect((await counters(db, video.id)).viewsToday).toBe(1)
    expect(await db.sql`SELECT 1 FROM view_resets`).toEqual([])
  })

  it("keeps viewsToday equal to the views logged since the reset when views race it", async () => {
    const db = await freshDatabase()
    const runtime = db.runtime
    // Views are counted in batches, so each group of concurrent views queues as one statement (or a few).
    const moreWaitingThan = async (count: number): Promise<number> => {
      for (let tries = 0; tries < 3000; tries++) {
        const [row] = await db.sql<{ waiting: bigint }>`
          SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
        if (Number(row!.waiting) > count) {
          // Let the rest of the group join the queue.
          await new Promise((resolve) => setTimeout(resolve, 200))
          const [settled] = await db.sql<{ waiting: bigint }>`
            SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
          return Number(settled!.waiting)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`no more than ${count} transactions queued behind the lock`)
    }

    // Hold the video's row; queue views, the reset and more views behind it; let go. The views began (and took
    // their snapshots) before the reset committed, yet some of them update the row after it: the case where a
    // log stamped with its statement's start time would fall before the reset's stamp while being counted after.
    let viewsAfterReset = 0
    for (let round = 1; round <= 6 && viewsAfterReset === 0; round++) {
      const video = await seed(db)
      await record(db, video.id, 2)
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      let locked!: () => void
      const isLocked = new Promise<void>((resolve) => (locked = resolve))
      const holder = runtime.runPromise(SqlClient.SqlClient.use((sql) =>
        sql.withTransaction(Effect.gen(function*() {
          yield* sql`SELECT 1 FROM videos WHERE id = ${video.id} FOR UPDATE`
          locked()
          yield* Effect.promise(() => released)
        }))
      ))
      await isLocked
      const before = Promise.all(Array.from({ length: 5 }, () => record(db, video.id)))
      const queuedBefore = await moreWaitingThan(0)
      const resetting = reset(db, { period: "day", closes: utcDay(7 - round) })
      const queuedReset = await moreWaitingThan(queuedBefore)
      const after = Promise.all(Array.from({ length: 5 }, () => record(db, video.id)))
      await moreWaitingThan(queuedReset)
      release()
      await holder
      await Promise.all([before, resetting, after])

      const now = await counters(db, video.id)
      expect(now).toMatchObject({ viewsTotal: 12, viewsMonth: 12 })
      expect(await history(db, video.id)).toEqual({ viewsToday: now.viewsToday, viewsMonth: 12, viewsTotal: 12, dailySum: 12 })
      viewsAfterReset = now.viewsToday
    }
    // Postgres wakes the queued transactions in no promised order; within a few rounds some views follow the reset.
    expect(viewsAfterReset).toBeGreaterThan(0)
  })

  it("keeps every counter consistent with the log under a stream of views and resets", async () => {
    const db = await freshDatabase()
    const videos = await Promise.all(Array.from({ length: 4 }, () => seed(db)))
    let stop = false
    const viewers = Promise.all(Array.from({ length: 8 }, async (_, worker) => {
      let count = 0
      while (!stop) {
        await record(db, videos[(worker + count) % videos.length]!.id)
        count++
      }
      return count
    }))
    // Resets close ever later periods, so each one applies, while the views keep coming.
    for (let back = 12; back >= 1; back--) {
      await new Promise((resolve) => setTimeout(resolve, 40))
      expect((await reset(db, { period: "day", closes: utcDay(back) }))._tag).toBe("Applied")
      if (back <= 3) expect((await reset(db, { period: "month", closes: utcMonth(back) }))._tag).toBe("Applied")
    }
    stop = true
    const counted = (await viewers).reduce((sum, count) => sum + count, 0)
    expect(counted).toBeGreaterThan(0)

    let total = 0
    for (const video of videos) {
      const now = await counters(db, video.id)
      const logged = await history(db, video.id)
      expect({ ...now, lastViewReset: undefined }).toEqual({
        viewsToday: logged.viewsToday,
        viewsMonth: logged.viewsMonth,
        viewsTotal: logged.viewsTotal,
        lastViewReset: undefined
      })
      expect(logged.dailySum).toBe(logged.viewsTotal)
      total += now.viewsTotal
    }
    expect(total).toBe(counted)
  })

  it("forgets dedup claims once no window can use them", async () => {
    const db = await freshDatabase()
    const video = await seed(db)
    await db.runtime.runPromise(ViewsRepo.use((views) =>
      Effect.forEach(["203.0.113.1", "203.0.113.2", "203.0.113.3"], (ip) => views.record({ ...view(video.id, ip), dedupWindowSeconds: 30 }))
    ))
    await db.sql`UPDATE video_view_claims SET counted_at = counted_at - interval '2 days' WHERE viewer IN (
      SELECT viewer FROM video_view_claims ORDER BY viewer LIMIT 2)`
    expect(await db.runtime.runPromise(ViewsRepo.use((views) => views.purgeClaims(86_400)))).toBe(2)
    expect(await db.sql`SELECT count(*)::int AS left FROM video_view_claims`).toEqual([{ left: 1 }])
  })
})

describe("workflow resetViews", () => {
  const taskQueue = `views-resets-${randomUUID()}`
  let db: Database
  let worker: Spawned
  let connection: Connection
  let client: Client

  beforeAll(async () => {
    db = await freshDatabase()
    // A worker of our own, on its own task queue and database; it leaves the Schedules to the stack's worker.
    worker = await spawnApp(
      "apps/worker/src/main.ts",
      { TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, WORKER_MANAGE_SCHEDULES: "false" },
      /worker is polling/
    )
    connection = await Connection.connect({ address: testEnv.temporalAddress })
    client = new Client({ connection, namespace: testEnv.temporalNamespace })
  })
  afterAll(async () => {
    await worker?.stop()
    await connection?.close()
  })

  const run = (args: Record<string, unknown>) =>
    client.workflow.execute("resetViews", {
      taskQueue,
      workflowId: `reset-views-${String(args.period)}-test-${randomUUID()}`,
      args: [args],
      workflowExecutionTimeout: "2 minutes"
    }) as Promise<ResetViewsResult>

  it("closes yesterday when started by hand, and is a no-op the second time", async () => {
    const video = await seed(db)
    await record(db, video.id, 2)

    expect(await run({ period: "day" })).toEqual({
      period: "day",
      closes: utcDay(1),
      outcome: "Applied",
      videosReset: 1,
      claimsPurged: 0
    })
    expect(await counters(db, video.id)).toMatchObject({ viewsToday: 0, viewsMonth: 2, viewsTotal: 2 })
    await record(db, video.id, 1)
    expect(await run({ period: "day" })).toMatchObject({ closes: utcDay(1), outcome: "AlreadyDone", videosReset: 1 })
    expect((await counters(db, video.id)).viewsToday).toBe(1)

    expect(await run({ period: "month" })).toMatchObject({ closes: utcMonth(1), outcome: "Applied", videosReset: 1 })
    expect(await counters(db, video.id)).toMatchObject({ viewsToday: 1, viewsMonth: 0, viewsTotal: 3 })
  })

  it("fails at once, without retrying, when asked to close a period that does not exist", async () => {
    const failure = await run({ period: "day", closes: "2026-02-30" }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(WorkflowFailedError)
    const cause = (failure as WorkflowFailedError).cause?.cause
    expect(cause).toBeInstanceOf(ApplicationFailure)
    expect(cause).toMatchObject({ type: "InvalidPeriod", nonRetryable: true })
    expect((cause as ApplicationFailure).message).toContain("2026-02-30")
  })
})
