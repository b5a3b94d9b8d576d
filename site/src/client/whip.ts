// A WHIP (RFC 9725) publisher: the offer goes to the ingest URL with the stream key as bearer token,
// the answer comes back in the 201, and DELETE on the session's Location ends it.

export class WhipError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

/** What a refusal means for the person pressing Start, in their words. */
export const whipRefusal = (status: number, serverMessage: string | undefined): string => {
  switch (status) {
    case 401:
    case 403:
      return "The stream key was refused. Check that it's the key you got when you created this stream."
    case 404:
      return "This stream no longer exists. Create a new one to go live again."
    case 409:
      return "This stream is already live from another tab or device. Stop it there first."
    case 410:
      return "This stream has ended; its recording is on its page. Create a new stream to go live again."
    case 0:
      return "Can't reach the server. Check your connection and try again."
    default:
      return serverMessage !== undefined && serverMessage !== ""
        ? `The server refused the stream: ${serverMessage}`
        : `The server refused the stream (${status}).`
  }
}

/**
 * Waits until the browser has gathered its ICE candidates, so the single offer carries all of them
 * (no trickle ICE needed). Gives up after `timeoutMs` with whatever it has, which is usually enough.
 */
export const iceGatheringDone = (pc: RTCPeerConnection, timeoutMs = 3000): Promise<void> =>
  new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") return resolve()
    const done = () => {
      pc.removeEventListener("icegatheringstatechange", check)
      clearTimeout(timer)
      resolve()
    }
    const check = () => {
      if (pc.iceGatheringState === "complete") done()
    }
    const timer = setTimeout(done, timeoutMs)
    pc.addEventListener("icegatheringstatechange", check)
  })

/**
 * H.264 first (constrained baseline, packetization-mode 1): the server can then package the camera's own
 * stream without re-encoding it. VP8 and the rest stay offered as fallbacks.
 */
export const preferH264 = (transceiver: RTCRtpTransceiver): void => {
  const capabilities = RTCRtpSender.getCapabilities?.("video")
  if (capabilities === null || capabilities === undefined || typeof transceiver.setCodecPreferences !== "function") return
  const rank = (codec: RTCRtpCodec): number => {
    if (codec.mimeType.toLowerCase() !== "video/h264") return 2
    const fmtp = codec.sdpFmtpLine ?? ""
    return fmtp.includes("packetization-mode=1") && fmtp.includes("profile-level-id=42e01f") ? 0 : 1
  }
  const ordered = [...capabilities.codecs].sort((a, b) => rank(a) - rank(b))
  try {
    transceiver.setCodecPreferences(ordered)
  } catch {
    // A browser that rejects the list keeps its own order, which works too.
  }
}

export interface WhipSession {
  readonly location: string
  readonly answer: string
}

/** POSTs the offer; resolves with the session URL and the SDP answer, or throws a WhipError in plain words. */
export const whipPublish = async (whipUrl: string, streamKey: string, offer: string): Promise<WhipSession> => {
  let response: Response
  try {
    response = await fetch(whipUrl, {
      method: "POST",
      headers: { "content-type": "application/sdp", authorization: `Bearer ${streamKey}` },
      body: offer
    })
  } catch {
    throw new WhipError(0, whipRefusal(0, undefined))
  }
  const body = await response.text()
  if (response.status !== 201 && response.status !== 200) {
    let message: string | undefined
    try {
      message = (JSON.parse(body) as { message?: string }).message
    } catch {
      message = body.slice(0, 200)
    }
    throw new WhipError(response.status, whipRefusal(response.status, message))
  }
  const location = response.headers.get("location")
  if (location === null) throw new WhipError(502, "The server accepted the stream but did not say where the session lives.")
  return { location: new URL(location, whipUrl).toString(), answer: body }
}

/** Ends the session; `keepalive` lets it go out even while the page is closing. */
export const whipEnd = async (location: string, streamKey: string): Promise<boolean> => {
  try {
    const response = await fetch(location, { method: "DELETE", headers: { authorization: `Bearer ${streamKey}` }, keepalive: true })
    return response.ok || response.status === 404
  } catch {
    return false
  }
}
