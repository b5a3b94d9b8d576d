const RTCP_BYE = 203
const REASON = "end"

/**
 * An RTCP BYE (RFC 3550 §6.6) with a reason, so it is at least 12 bytes: ffmpeg ignores shorter packets. When
 * every stream of its SDP input has said BYE, ffmpeg ends the input as if the file had ended, and writes the last
 * segment and EXT-X-ENDLIST. A signal cannot do that while ffmpeg waits for packets that no longer come.
 */
export const rtcpBye = (ssrc: number): Buffer => {
  const reason = Buffer.from(REASON, "ascii")
  const body = 4 + 1 + reason.length
  const padded = Math.ceil(body / 4) * 4
  const packet = Buffer.alloc(4 + padded)
  packet[0] = 0x81 // version 2, no padding, one source
  packet[1] = RTCP_BYE
  packet.writeUInt16BE(packet.length / 4 - 1, 2)
  packet.writeUInt32BE(ssrc >>> 0, 4)
  packet[8] = reason.length
  reason.copy(packet, 9)
  return packet
}
