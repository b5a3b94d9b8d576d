import { type Client, ScheduleAlreadyRunning, type ScheduleOptions } from "@temporalio/client"

/**
 * Creates a Schedule, or brings an existing one up to this code's spec, action and policies: safe on every
 * worker start, and when several workers start at once. What an operator changed by hand (paused, with a note
 * saying why) is kept.
 */
export const ensureSchedule = async (client: Client, options: ScheduleOptions): Promise<void> => {
  try {
    await client.schedule.create(options)
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
      state: previous.state.paused ? previous.state : { ...previous.state, note: options.state?.note ?? previous.state.note }
    }))
  }
}
