import type { IngestVideoCodec } from "./keyframes.ts"

export interface RtpInput {
  /** Where ffmpeg receives RTP; RTCP (the sender reports that sync audio with video) goes to port + 1. */
  readonly port: number
  readonly payloadType: number
}

export interface RtpSessionPlan {
  readonly video: RtpInput & {
    readonly codec: IngestVideoCodec
    /** The negotiated a=fmtp parameters (H.264 packetization mode, profile). */
    readonly fmtp: string | undefined
  }
  readonly audio: RtpInput | undefined
}

const RTPMAP: Record<IngestVideoCodec, string> = { h264: "H264/90000", vp8: "VP8/90000" }

/** The SDP that tells ffmpeg which loopback ports carry the publisher's streams and how to depacketize them. */
export const rtpSessionSdp = (plan: RtpSessionPlan): string =>
  [
    "v=0",
    "o=- 0 0 IN IP4 127.0.0.1",
    "s=Reelbase live ingest",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    `m=video ${plan.video.port} RTP/AVP ${plan.video.payloadType}`,
    `a=rtcp:${plan.video.port + 1}`,
    `a=rtpmap:${plan.video.payloadType} ${RTPMAP[plan.video.codec]}`,
    ...(plan.video.fmtp === undefined ? [] : [`a=fmtp:${plan.video.payloadType} ${plan.video.fmtp}`]),
    ...(plan.audio === undefined
      ? []
      : [
        `m=audio ${plan.audio.port} RTP/AVP ${plan.audio.payloadType}`,
        `a=rtcp:${plan.audio.port + 1}`,
        `a=rtpmap:${plan.audio.payloadType} opus/48000/2`
      ]),
    ""
  ].join("\r\n")
