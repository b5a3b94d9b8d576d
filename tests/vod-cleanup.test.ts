// Abandoned multipart uploads are aborted by the hourly cleanup Schedule's workflow.
import { Storage, StorageKeys } from "@reelbase/domain"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { scheduleTargetFor } from "../apps/worker/src/scheduleTarget.ts"
import { ensureUploadCleanupSchedule } from "../apps/worker/src/uploadCleanupSchedule.ts"
import { services } from "./support/db.ts"
import { api } from "./support/http.ts"
import { temporal } from "./support/vod.ts"

afterAll(async () => (await temporal()).close())

const unfinishedUploads = (videoId: string) =>
  services.runPromise(Storage.use((storage) =>
    Effect.promise(async () => {
      const listed = await storage.client.listIncompleteUploadsQuery(storage.bucket, StorageKeys.original(videoId), "", "", "")
      return listed.uploads.filter((upload) => upload.key === StorageKeys.original(videoId)).map((upload) => upload.uploadId)
    })
  ))

describe("upload cleanup", () => {
  it("runs hourly from a Schedule operators see in the Temporal UI, which every worker start keeps up to date", async () => {
    const { client } = await temporal()
    const before = await client.schedule.getHandle("uploads-cleanup-hourly").describe()
    await ensureUploadCleanupSchedule(client, scheduleTargetFor("media"))
    await ensureUploadCleanupSchedule(client, scheduleTargetFor("media"))
    const schedule = await client.schedule.getHandle("uploads-cleanup-hourly").describe()
    expect(schedule.spec).toEqual(before.spec)
    // Other tests start workers of their own on their own queues; their Schedules carry their queue's prefix.
    expect(schedule.action).toMatchObject({ type: "startWorkflow", workflowType: "cleanupUploads", taskQueue: "media", args: [{ olderThanSeconds: 7 * 24 * 3600 }] })
    expect(schedule.spec.intervals?.map((interval) => interval.every)).toEqual([3600_000])
    expect(schedule.policies.overlap).toBe("SKIP")
  })

  it("aborts multipart uploads older than the limit and leaves younger ones", async () => {
    const created = (await api("/api/upload/multipart", {
      method: "POST",
      json: { fileName: "left.mp4", fileSize: 40 * 1024 * 1024, contentType: "video/mp4" }
    })).body
    expect(await unfinishedUploads(created.videoId)).toEqual([created.uploadId])
    const { client } = await temporal()
    const run = (olderThanSeconds: number) =>
      client.workflow.execute("cleanupUploads", {
        taskQueue: "media",
        workflowId: `cleanup-uploads-test-${created.videoId}-${olderThanSeconds}`,
        args: [{ olderThanSeconds, videoId: created.videoId }]
      })

    expect(await run(3600)).toEqual({ aborted: 0 })
    expect(await unfinishedUploads(created.videoId)).toEqual([created.uploadId])
    expect(await run(0)).toEqual({ aborted: 1 })
    expect(await unfinishedUploads(created.videoId)).toEqual([])
  })
})
