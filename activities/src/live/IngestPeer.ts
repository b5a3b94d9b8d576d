import {
  type MediaStreamTrack,
  RTCPeerConnection,
  type RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  useH264,
  useNACK,
  useOPUS,
  usePLI,
  useREMB,
  useSdesMid,
  useTransportWideCC,
  useTWCC,
  useVP8
} from "werift"
import type { IngestVideoCodec } from "./keyframes.ts"
import type { LiveIngestSettings } from "./LiveIngestConfig.ts"

export class OfferRejected extends Error {}

/** The one video codec the answer accepts: the browser then sends exactly what ffmpeg was told to expect. */
export interface ChosenVideoCodec {
  readonly codec: IngestVideoCodec
  /** The offer's own a=fmtp line for it (H.264 profile and packetization mode must match the offer exactly). */
  readonly fmtp: string | undefined
}

interface OfferedCodec {
  readonly name: string
  readonly fmtp: string | undefined
}

const offeredVideoCodecs = (sdp: string): ReadonlyArray<OfferedCodec> => {
  const lines = sdp.split(/\r?\n/)
  const start = lines.findIndex((line) => line.startsWith("m=video"))
  if (start === -1) return []
  const end = lines.findIndex((line, at) => at > start && line.startsWith("m="))
  const section = lines.slice(start, end === -1 ? undefined : end)
  const payloadTypes = section[0]!.split(" ").slice(3)
  return payloadTypes.map((pt) => {
    const name = section.find((line) => line.startsWith(`a=rtpmap:${pt} `))?.split(" ")[1]?.split("/")[0] ?? ""
    const fmtp = section.find((line) => line.startsWith(`a=fmtp:${pt} `))?.slice(`a=fmtp:${pt} `.length).trim()
    return { name: name.toUpperCase(), fmtp }
  })
}

const h264Param = (fmtp: string | undefined, name: string) =>
  fmtp?.split(";").map((pair) => pair.trim().split("=")).find(([key]) => key === name)?.[1]

/**
 * H.264 in packetization mode 1 is copied into the segments without re-encoding (baseline profiles first: every
 * player decodes them); VP8 is the fallback, re-encoded by ffmpeg.
 */
export const chooseVideoCodec = (offerSdp: string): ChosenVideoCodec | undefined => {
  const offered = offeredVideoCodecs(offerSdp)
  const h264 = offered.filter((codec) => codec.name === "H264" && h264Param(codec.fmtp, "packetization-mode") === "1")
  const baseline = h264.find((codec) => h264Param(codec.fmtp, "profile-level-id")?.toLowerCase().startsWith("42"))
  const pick = baseline ?? h264[0]
  if (pick !== undefined) return { codec: "h264", fmtp: pick.fmtp }
  return offered.some((codec) => codec.name === "VP8") ? { codec: "vp8", fmtp: undefined } : undefined
}

// NACK and PLI so lost packets are resent and keyframes can be requested; REMB and transport-cc so the browser's
// bandwidth estimate climbs instead of staying at its start rate.
const videoFeedback = () => [useNACK(), usePLI(), useREMB(), useTWCC()]

const videoCodecParameters = (chosen: ChosenVideoCodec): RTCRtpCodecParameters =>
  chosen.codec === "h264"
    ? useH264({ rtcpFeedback: videoFeedback(), ...(chosen.fmtp === undefined ? {} : { parameters: chosen.fmtp }) })
    : useVP8({ rtcpFeedback: videoFeedback() })

export interface NegotiatedTrack {
  readonly transceiver: RTCRtpTransceiver
  readonly payloadType: number
}

export interface AnsweredPeer {
  readonly pc: RTCPeerConnection
  readonly answerSdp: string
  readonly video: NegotiatedTrack & ChosenVideoCodec
  readonly audio: NegotiatedTrack | undefined
  /** Remote tracks as werift announces them (during setRemoteDescription, so collected from the start). */
  readonly tracks: ReadonlyArray<MediaStreamTrack>
}

/**
 * Answers a publisher's offer with a receive-only peer. The answer holds every local candidate (werift gathers
 * before resolving setLocalDescription), so the publisher needs no trickle ICE; Chrome's mDNS `.local` host
 * candidates are never resolved here: the connectivity checks Chrome sends reveal its address as peer-reflexive
 * candidates, which is how the pair forms.
 */
export const answerPublisher = async (offerSdp: string, settings: LiveIngestSettings): Promise<AnsweredPeer> => {
  const chosen = chooseVideoCodec(offerSdp)
  if (chosen === undefined) throw new OfferRejected("the offer has no video codec this server takes (H264 packetization-mode 1, or VP8)")
  const pc = new RTCPeerConnection({
    // A closed network has no STUN server to ask, and trying one delays every answer.
    iceServers: [],
    ...(settings.icePortRange === undefined ? {} : { icePortRange: [settings.icePortRange[0], settings.icePortRange[1]] }),
    ...(settings.announcedAddresses.length === 0 ? {} : { iceAdditionalHostAddresses: [...settings.announcedAddresses] }),
    bundlePolicy: "max-bundle",
    codecs: { video: [videoCodecParameters(chosen)], audio: [useOPUS()] },
    headerExtensions: { video: [useSdesMid(), useTransportWideCC()], audio: [useSdesMid()] }
  })
  const tracks: Array<MediaStreamTrack> = []
  pc.onTrack.subscribe((track) => tracks.push(track))
  try {
    try {
      await pc.setRemoteDescription({ type: "offer", sdp: offerSdp })
    } catch (error) {
      throw new OfferRejected(`the offer could not be applied: ${error instanceof Error ? error.message : String(error)}`)
    }
    // Only m-lines the publisher offered exist now; each one only receives.
    for (const transceiver of pc.getTransceivers()) transceiver.setDirection("recvonly")
    await pc.setLocalDescription(await pc.createAnswer())
    const negotiated = (kind: "video" | "audio"): NegotiatedTrack | undefined => {
      const transceiver = pc.getTransceivers().find((t) => t.kind === kind && !t.stopped && !t.rejected)
      const payloadType = transceiver?.codecs[0]?.payloadType
      return transceiver === undefined || payloadType === undefined ? undefined : { transceiver, payloadType }
    }
    const video = negotiated("video")
    if (video === undefined) throw new OfferRejected("no video track could be negotiated from the offer")
    return {
      pc,
      answerSdp: pc.localDescription!.sdp,
      video: { ...video, ...chosen },
      audio: negotiated("audio"),
      tracks
    }
  } catch (error) {
    await pc.close()
    throw error
  }
}
