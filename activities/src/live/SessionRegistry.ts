import type { IngestSession } from "./IngestSession.ts"

/**
 * The sessions whose peers live in this worker process. A session is opened by one activity (which answers
 * the offer) and taken over by the supervising activity the workflow schedules on this worker's own queue; if
 * nobody takes it over in time, it stops itself rather than leak a peer, a port and an ffmpeg.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, { readonly session: IngestSession; claimTimer: NodeJS.Timeout | undefined }>()

  add(session: IngestSession, claimWithinMs: number): void {
    const claimTimer = setTimeout(() => {
      void session.stop("unclaimed", `no supervisor took the session within ${claimWithinMs / 1000} s`)
      this.sessions.delete(session.sessionId)
    }, claimWithinMs)
    this.sessions.set(session.sessionId, { session, claimTimer })
  }

  /** The session, now owned by the caller; undefined when this process does not hold it. */
  claim(sessionId: string): IngestSession | undefined {
    const entry = this.sessions.get(sessionId)
    if (entry === undefined) return undefined
    clearTimeout(entry.claimTimer)
    entry.claimTimer = undefined
    return entry.session
  }

  find(sessionId: string): IngestSession | undefined {
    return this.sessions.get(sessionId)?.session
  }

  remove(sessionId: string): void {
    const entry = this.sessions.get(sessionId)
    if (entry !== undefined) clearTimeout(entry.claimTimer)
    this.sessions.delete(sessionId)
  }

  /** Worker shutdown: every session ends and stores what it has. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map(({ session }) => session.stop("cancelled", "the worker is shutting down")))
  }
}
