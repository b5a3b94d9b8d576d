import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import type { MediaStreamTrack, RtcpPacket, RTCRtpTransceiver, RtpPacket } from "werift"
import { liveHlsArgs } from "./ffmpegArgs.ts"
import { answerPublisher, type AnsweredPeer } from "./IngestPeer.ts"
import { KeyframePacer } from "./KeyframePacer.ts"
import { isKeyframeStart } from "./keyframes.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"
import type { LiveObjectStore } from "./LiveObjectStore.ts"
import { freeLoopbackPorts } from "./loopbackPorts.ts"
import { Packager } from "./Packager.ts"
import { rtcpBye } from "./rtcpBye.ts"
import { RtpForwarder } from "./RtpForwarder.ts"
import { rtpSessionSdp } from "./rtpSdp.ts"
import { SegmentUploader } from "./SegmentUploader.ts"

/** Why a session ended. */
export type EndReason =
  /** The host stopped it (API stop, WHIP DELETE). */
  | "stop-requested"
  /** Media stopped arriving (tab closed, network gone) for longer than the peer timeout. */
  | "publisher-gone"
  /** The offer was answered but no media ever came. */
  | "publisher-never-sent"
  /** ffmpeg exited on its own. */
  | "packager-failed"
  /** No supervising activity took the session over in time (its workflow moved on or the worker was lost). */
  | "unclaimed"
  /** The workflow was cancelled (the video is being deleted) or the worker is shutting down. */
  | "cancelled"

export interface SessionEnd {
  readonly reason: EndReason
  readonly detail: string | undefined
}

export interface IngestSummary extends SessionEnd {
  readonly segments: number
  readonly durationSeconds: number
}

export interface IngestProgress {
  readonly segments: number
  readonly mediaPackets: number
  readonly msSinceMedia: number | null
  readonly keyframeResponseMs: number
}

export interface IngestSessionDeps {
  readonly settings: LiveIngestSettings
  readonly store: LiveObjectStore
  /** Marks the video live once its first playlist is stored; gets the first segment's local file for a thumbnail. */
  readonly goLive: (videoId: string, firstSegmentPath: string) => Promise<void>
  readonly log: (message: string) => void
}

const PACER_TICK_MS = 50
const MONITOR_TICK_MS = 500
/** After werift reports the connection failed or closed, media silence this long ends the session early. */
const CLOSED_SILENCE_MS = 1000
const RTCP_SENDER_REPORT = 200
/**
 * ffmpeg warnings that come with every WebRTC stream and mean nothing: padding packets, copied packets without a
 * duration (RTP has none), variable frame rates.
 */
const HARMLESS_FFMPEG_LINE = /Empty H\.264 RTP packet|Last message repeated|has duration 0|Timestamps are unset in a packet/

/**
 * One publisher's stream on this worker: the werift peer receiving RTP, the forwarder handing it to ffmpeg,
 * the packager writing HLS, and the uploader storing it. `ended` settles when the session should end by itself;
 * `stop` ends it in order: peer closed, ffmpeg finishes its last segment, everything left is stored.
 */
export class IngestSession {
  readonly ended: Promise<SessionEnd>
  private endWith!: (end: SessionEnd) => void
  private stopping: Promise<IngestSummary> | undefined
  private readonly openedAt = Date.now()
  private lastMediaAt: number | undefined
  private videoSsrc: number | undefined
  private audioSsrc: number | undefined
  private mediaPackets = 0
  private connectionState = "new"
  private readonly timers: Array<NodeJS.Timeout> = []
  private readonly pacer: KeyframePacer
  private readonly wired = new Set<MediaStreamTrack>()

  readonly videoId: string
  readonly sessionId: string
  private readonly peer: AnsweredPeer
  private readonly dir: string
  private readonly ports: { readonly video: number; readonly audio: number }
  private readonly forwarder: RtpForwarder
  private readonly packager: Packager
  private readonly uploader: SegmentUploader
  private readonly deps: IngestSessionDeps

  private constructor(parts: {
    readonly videoId: string
    readonly sessionId: string
    readonly peer: AnsweredPeer
    readonly dir: string
    readonly ports: { readonly video: number; readonly audio: number }
    readonly forwarder: RtpForwarder
    readonly packager: Packager
    readonly uploader: SegmentUploader
    readonly deps: IngestSessionDeps
  }) {
    this.videoId = parts.videoId
    this.sessionId = parts.sessionId
    this.peer = parts.peer
    this.dir = parts.dir
    this.ports = parts.ports
    this.forwarder = parts.forwarder
    this.packager = parts.packager
    this.uploader = parts.uploader
    this.deps = parts.deps
    this.ended = new Promise((resolve) => (this.endWith = resolve))
    this.pacer = new KeyframePacer(parts.deps.settings.segmentSeconds * 1000)
  }

  get answerSdp(): string {
    return this.peer.answerSdp
  }

  /**
   * Answers the offer and gets everything ready before the publisher's first packet: ffmpeg is already listening
   * when media starts, so the first segment is not delayed by process start-up.
   */
  static async open(
    params: { readonly videoId: string; readonly sessionId: string; readonly offerSdp: string },
    deps: IngestSessionDeps
  ): Promise<IngestSession> {
    const { settings } = deps
    const peer = await answerPublisher(params.offerSdp, settings)
    const cleanups: Array<() => Promise<unknown> | void> = [() => peer.pc.close()]
    try {
      const dir = await mkdtemp(join(settings.workDir, `reelbase-live-${params.videoId}-`))
      cleanups.push(() => rm(dir, { recursive: true, force: true }))
      // Video RTP/RTCP on base and base+1, audio on base+2 and base+3.
      const base = await freeLoopbackPorts(4)
      const ports = { video: base, audio: base + 2 }
      const sdpPath = join(dir, "rtp.sdp")
      await writeFile(sdpPath, rtpSessionSdp({
        video: { port: ports.video, payloadType: peer.video.payloadType, codec: peer.video.codec, fmtp: peer.video.fmtp },
        audio: peer.audio === undefined ? undefined : { port: ports.audio, payloadType: peer.audio.payloadType }
      }))
      const forwarder = await RtpForwarder.open()
      cleanups.push(() => forwarder.close())
      const log = (message: string) => deps.log(`[live ${params.videoId}] ${message}`)
      const packager = Packager.start(
        settings.ffmpegPath,
        liveHlsArgs({
          sdpPath,
          video: peer.video.codec,
          audio: peer.audio !== undefined,
          outputDir: dir,
          segmentSeconds: settings.segmentSeconds,
          playlistSize: settings.playlistSize,
          // Longer than the session's own patience, so the session (not ffmpeg) decides when a publisher is gone.
          inputTimeoutSeconds: Math.ceil(settings.connectTimeoutMs / 1000) + 5
        }),
        (line) => {
          if (!HARMLESS_FFMPEG_LINE.test(line)) log(`ffmpeg: ${line}`)
        }
      )
      const uploader = new SegmentUploader({
        videoId: params.videoId,
        dir,
        store: deps.store,
        segmentSeconds: settings.segmentSeconds,
        recordingEvery: 10,
        onFirstPlaylist: (firstSegmentPath) => deps.goLive(params.videoId, firstSegmentPath),
        log
      })
      const session = new IngestSession({
        videoId: params.videoId,
        sessionId: params.sessionId,
        peer,
        dir,
        ports,
        forwarder,
        packager,
        uploader,
        deps: { ...deps, log }
      })
      session.start()
      return session
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {})
      throw error
    }
  }

  private start(): void {
    const { pc } = this.peer
    for (const track of this.peer.tracks) this.wire(track)
    pc.onTrack.subscribe((track) => this.wire(track))
    pc.connectionStateChange.subscribe((state) => {
      this.connectionState = state
      this.deps.log(`peer ${state}`)
    })
    this.forwardSenderReports(this.peer.video.transceiver, this.ports.video)
    if (this.peer.audio !== undefined) this.forwardSenderReports(this.peer.audio.transceiver, this.ports.audio)
    this.timers.push(setInterval(() => this.requestKeyframeIfDue(), PACER_TICK_MS))
    this.timers.push(setInterval(() => this.checkPublisher(), MONITOR_TICK_MS))
    void this.packager.exited.then((code) => {
      if (this.stopping === undefined) this.finish("packager-failed", `ffmpeg exited with code ${code}:\n${this.packager.lastLines}`)
    })
    this.uploader.start()
  }

  private wire(track: MediaStreamTrack): void {
    if (this.wired.has(track)) return
    this.wired.add(track)
    const isVideo = track.kind === "video"
    const negotiated = isVideo ? this.peer.video : this.peer.audio
    if (negotiated === undefined) return
    const port = isVideo ? this.ports.video : this.ports.audio
    track.onReceiveRtp.subscribe((packet: RtpPacket) => {
      if (packet.header.payloadType !== negotiated.payloadType) return
      // Padding-only packets (the browser probing bandwidth) still go to ffmpeg: dropping them would leave gaps in
      // the sequence numbers, and ffmpeg waits for "missing" packets before it moves on.
      this.forwarder.send(packet.serialize(), port)
      if (!isVideo) this.audioSsrc = packet.header.ssrc
      if (packet.payload.length === 0) return
      const now = Date.now()
      this.lastMediaAt = now
      this.mediaPackets += 1
      if (isVideo) {
        this.videoSsrc = packet.header.ssrc
        if (isKeyframeStart(this.peer.video.codec, packet.payload)) this.pacer.keyframe(now)
      }
    })
  }

  /** Sender reports map RTP time to wall time: ffmpeg needs them to keep audio and video in sync. */
  private forwardSenderReports(transceiver: RTCRtpTransceiver, port: number): void {
    transceiver.receiver.onRtcp.subscribe((packet: RtcpPacket) => {
      if (packet.type === RTCP_SENDER_REPORT) this.forwarder.send(packet.serialize(), port + 1)
    })
  }

  private requestKeyframeIfDue(): void {
    const ssrc = this.videoSsrc
    if (ssrc === undefined || !this.pacer.shouldRequest(Date.now())) return
    void this.peer.video.transceiver.receiver.sendRtcpPLI(ssrc)
  }

  private checkPublisher(): void {
    const now = Date.now()
    const { connectTimeoutMs, peerTimeoutMs } = this.deps.settings
    if (this.lastMediaAt === undefined) {
      if (now - this.openedAt > connectTimeoutMs) {
        this.finish("publisher-never-sent", `no media within ${connectTimeoutMs / 1000} s of the answer (connection ${this.connectionState})`)
      }
      return
    }
    const silence = now - this.lastMediaAt
    if (silence > peerTimeoutMs) {
      this.finish("publisher-gone", `no media for ${Math.round(silence / 1000)} s`)
    } else if ((this.connectionState === "closed" || this.connectionState === "failed") && silence > CLOSED_SILENCE_MS) {
      this.finish("publisher-gone", `connection ${this.connectionState}`)
    }
  }

  private finish(reason: EndReason, detail?: string): void {
    this.endWith({ reason, detail })
  }

  progress(): IngestProgress {
    return {
      segments: this.uploader.segmentsStored,
      mediaPackets: this.mediaPackets,
      msSinceMedia: this.lastMediaAt === undefined ? null : Date.now() - this.lastMediaAt,
      keyframeResponseMs: this.pacer.expectedResponseMs
    }
  }

  /** Ends the session in order and stores everything that was produced; safe to call more than once. */
  stop(reason: EndReason, detail?: string): Promise<IngestSummary> {
    this.stopping ??= this.shutdown(reason, detail)
    return this.stopping
  }

  private async shutdown(reason: EndReason, detail: string | undefined): Promise<IngestSummary> {
    this.finish(reason, detail)
    for (const timer of this.timers) clearInterval(timer)
    this.deps.log(`stopping: ${reason}${detail === undefined ? "" : ` (${detail})`}`)
    try {
      if (this.mediaPackets === 0) {
        // Nothing was received, so nothing can be recorded: ffmpeg would still write an empty segment on BYE.
        await this.peer.pc.close().catch(() => {})
        this.packager.kill()
        await this.uploader.discard()
        return { reason, detail, segments: 0, durationSeconds: 0 }
      }
      // ffmpeg ends its input once every stream said BYE, then writes the last segment and EXT-X-ENDLIST.
      this.forwarder.send(rtcpBye(this.videoSsrc ?? 0), this.ports.video + 1)
      if (this.peer.audio !== undefined) this.forwarder.send(rtcpBye(this.audioSsrc ?? 0), this.ports.audio + 1)
      await this.peer.pc.close().catch(() => {})
      if (!(await this.packager.finish())) this.deps.log("ffmpeg did not finish after BYE; killed it")
      const stored = await this.uploader.flush()
      return { reason, detail, ...stored }
    } finally {
      this.packager.kill()
      this.forwarder.close()
      await rm(this.dir, { recursive: true, force: true }).catch(() => {})
    }
  }
}
