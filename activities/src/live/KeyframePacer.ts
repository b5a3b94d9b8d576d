/**
 * Decides when to ask the publisher for a keyframe (RTCP PLI).
 *
 * Browsers send keyframes only when asked, and ffmpeg can only cut a copied stream at a keyframe. Asking on a
 * fixed timer lets keyframes drift against ffmpeg's segment clock, which yields segments of 0.05 s followed by
 * ones of 1.9 s. Instead the pacer asks so that a keyframe *arrives* one segment after the previous one: it
 * measures how long the publisher takes to answer a PLI and asks that much earlier.
 */
export class KeyframePacer {
  private lastKeyframeAt: number | undefined
  private requestedAt: number | undefined
  /** How long a publisher takes to answer a PLI, smoothed; starts with a guess for a nearby browser. */
  private responseMs = 100

  private readonly segmentMs: number
  /** Before the first keyframe, and when a request went unanswered, ask again after this long. */
  private readonly retryMs: number

  constructor(segmentMs: number, retryMs = 500) {
    this.segmentMs = segmentMs
    this.retryMs = retryMs
  }

  /** Call for the first packet of every keyframe. */
  keyframe(now: number): void {
    if (this.requestedAt !== undefined) {
      const response = now - this.requestedAt
      if (response < this.segmentMs) this.responseMs = 0.7 * this.responseMs + 0.3 * response
      this.requestedAt = undefined
    }
    this.lastKeyframeAt = now
  }

  /** Call often (every few tens of milliseconds); true when a PLI should go out now. */
  shouldRequest(now: number): boolean {
    if (this.requestedAt !== undefined && now - this.requestedAt < this.retryMs) return false
    const due = this.lastKeyframeAt === undefined || now - this.lastKeyframeAt >= this.segmentMs - this.responseMs
    if (due) this.requestedAt = now
    return due
  }

  /** The smoothed PLI-to-keyframe delay, for diagnostics. */
  get expectedResponseMs(): number {
    return Math.round(this.responseMs)
  }
}
