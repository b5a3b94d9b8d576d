import { Client, Connection } from "@temporalio/client"
import { afterAll, describe, expect, it } from "vitest"
import { ensureViewResetSchedules } from "../apps/worker/src/schedules.ts"
import { testEnv } from "./support/env.ts"

const connection = await Connection.connect({ address: testEnv.temporalAddress })
const client = new Client({ connection, namespace: testEnv.temporalNamespace })
afterAll(() => connection.close())

describe("view reset schedules", () => {
  it("exist after the worker started, and ensuring them again changes nothing", async () => {
    const describeBoth = () =>
      Promise.all(["views-reset-daily", "views-reset-monthly"].map((id) => client.schedule.getHandle(id).describe()))
    const before = await describeBoth()
    await ensureViewResetSchedules(client)
    await ensureViewResetSchedules(client)
    const after = await describeBoth()

    for (const [index, schedule] of after.entries()) {
      expect(schedule.spec).toEqual(before[index]!.spec)
      expect(schedule.action).toMatchObject({ type: "startWorkflow", workflowType: "resetViews", taskQueue: "media" })
      expect(schedule.policies.overlap).toBe("SKIP")
    }
    // The server stores the cron as a calendar: midnight UTC daily, and on the 1st for the monthly one.
    expect(after[0]!.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })
    expect(after[1]!.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] })
    const ids = []
    for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId)
    expect(ids.filter((id) => id.startsWith("views-reset-")).sort()).toEqual(["views-reset-daily", "views-reset-monthly"])
  })
})
