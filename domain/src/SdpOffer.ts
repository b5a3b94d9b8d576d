/**
 * A first look at a publisher's SDP offer: enough to refuse, with a reason a person can act on, bodies that
 * are not an offer this server can take, before a peer connection or a workflow is involved.
 * The WebRTC stack parses it in full afterwards.
 */
export interface OfferSummary {
  /** Video codecs the offer sends that the ingest takes, by encoding name (H264, VP8). */
  readonly videoCodecs: ReadonlyArray<string>
  /** Whether the offer sends Opus audio the ingest can take. */
  readonly audio: boolean
}

export type OfferCheck =
  | { readonly _tag: "Valid"; readonly summary: OfferSummary }
  | { readonly _tag: "Invalid"; readonly reason: string }

/** Offers larger than this are not from a browser or a WHIP encoder. */
export const MAX_OFFER_BYTES = 64 * 1024

const SUPPORTED_VIDEO = ["H264", "VP8"]

interface MediaSection {
  readonly kind: string
  readonly protocol: string
  readonly lines: ReadonlyArray<string>
}

const invalid = (reason: string): OfferCheck => ({ _tag: "Invalid", reason })

const attribute = (lines: ReadonlyArray<string>, name: string): string | undefined =>
  lines.find((line) => line.startsWith(`a=${name}:`))?.slice(name.length + 3).trim()

const hasFlag = (lines: ReadonlyArray<string>, name: string) => lines.some((line) => line === `a=${name}`)

/** A media section sends to us unless it says recvonly or inactive (sendrecv is the default). */
const sends = (section: MediaSection) => !hasFlag(section.lines, "recvonly") && !hasFlag(section.lines, "inactive")

const encodingNames = (section: MediaSection): ReadonlyArray<string> =>
  section.lines
    .filter((line) => line.startsWith("a=rtpmap:"))
    .map((line) => line.split(" ")[1]?.split("/")[0]?.toUpperCase() ?? "")

export const checkOffer = (sdp: string): OfferCheck => {
  if (Buffer.byteLength(sdp) > MAX_OFFER_BYTES) return invalid(`the offer is larger than ${MAX_OFFER_BYTES} bytes`)
  const lines = sdp.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "")
  if (lines[0] !== "v=0") return invalid("the body is not an SDP offer (an SDP description starts with v=0)")
  if (!lines.some((line) => line.startsWith("o=")) || !lines.some((line) => line.startsWith("s="))) {
    return invalid("the SDP has no o= or s= line")
  }
  const firstMedia = lines.findIndex((line) => line.startsWith("m="))
  if (firstMedia === -1) return invalid("the SDP offers no media (no m= line)")
  const session = lines.slice(0, firstMedia)
  const sections: Array<MediaSection> = []
  for (const [index, line] of lines.entries()) {
    if (!line.startsWith("m=")) continue
    const end = lines.findIndex((next, at) => at > index && next.startsWith("m="))
    const [kind = "", , protocol = ""] = line.slice(2).split(" ")
    sections.push({ kind, protocol, lines: lines.slice(index + 1, end === -1 ? undefined : end) })
  }

  for (const section of sections) {
    if (!section.protocol.includes("RTP/SAVPF") && section.kind !== "application") {
      return invalid(`the ${section.kind} section is not WebRTC media (${section.protocol}, expected UDP/TLS/RTP/SAVPF)`)
    }
    const scoped = [...section.lines, ...session]
    if (attribute(scoped, "ice-ufrag") === undefined || attribute(scoped, "ice-pwd") === undefined) {
      return invalid(`the ${section.kind} section has no ICE credentials (a=ice-ufrag, a=ice-pwd)`)
    }
    if (attribute(scoped, "fingerprint") === undefined) {
      return invalid(`the ${section.kind} section has no DTLS fingerprint (a=fingerprint)`)
    }
    const setup = attribute(scoped, "setup")
    if (setup !== undefined && setup !== "actpass") {
      return invalid(`a=setup:${setup} belongs to an answer; an offer uses a=setup:actpass`)
    }
  }

  const video = sections.filter((section) => section.kind === "video" && sends(section))
  if (video.length === 0) return invalid("the offer sends no video (no sendonly or sendrecv m=video section)")
  if (video.length > 1) return invalid("the offer sends more than one video track; publish one camera per stream")
  const offered = encodingNames(video[0]!)
  const videoCodecs = SUPPORTED_VIDEO.filter((codec) => offered.includes(codec))
  if (videoCodecs.length === 0) {
    return invalid(`no video codec this server takes (${SUPPORTED_VIDEO.join(" or ")}); offered: ${offered.join(", ") || "none"}`)
  }
  const audio = sections.some((section) => section.kind === "audio" && sends(section) && encodingNames(section).includes("OPUS"))
  return { _tag: "Valid", summary: { videoCodecs, audio } }
}
