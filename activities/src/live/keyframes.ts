/** The video codecs the ingest takes from publishers. */
export type IngestVideoCodec = "h264" | "vp8"

const H264_IDR = 5
const H264_SPS = 7
const H264_STAP_A = 24
const H264_FU_A = 28

const isH264KeyNal = (type: number) => type === H264_IDR || type === H264_SPS

/** RFC 6184: a keyframe starts with an SPS or IDR NAL unit, alone, aggregated (STAP-A) or fragmented (FU-A). */
const h264KeyframeStart = (payload: Uint8Array): boolean => {
  const type = (payload[0] ?? 0) & 0x1f
  if (type === H264_FU_A) {
    const header = payload[1] ?? 0
    return (header & 0x80) !== 0 && isH264KeyNal(header & 0x1f)
  }
  if (type === H264_STAP_A) {
    let offset = 1
    while (offset + 2 < payload.length) {
      const size = ((payload[offset] ?? 0) << 8) | (payload[offset + 1] ?? 0)
      if (isH264KeyNal((payload[offset + 2] ?? 0) & 0x1f)) return true
      offset += 2 + size
    }
    return false
  }
  return isH264KeyNal(type)
}

/** RFC 7741: skip the payload descriptor; the first partition's header says key (P bit 0) or inter frame. */
const vp8KeyframeStart = (payload: Uint8Array): boolean => {
  const first = payload[0] ?? 0
  const startOfPartition = (first & 0x10) !== 0
  const partitionIndex = first & 0x07
  if (!startOfPartition || partitionIndex !== 0) return false
  let offset = 1
  if ((first & 0x80) !== 0) {
    const extension = payload[offset] ?? 0
    offset += 1
    if ((extension & 0x80) !== 0) offset += ((payload[offset] ?? 0) & 0x80) !== 0 ? 2 : 1
    if ((extension & 0x40) !== 0) offset += 1
    if ((extension & 0x30) !== 0) offset += 1
  }
  return offset < payload.length && ((payload[offset] ?? 1) & 0x01) === 0
}

/** Whether this RTP payload is the first packet of a keyframe. */
export const isKeyframeStart = (codec: IngestVideoCodec, payload: Uint8Array): boolean =>
  codec === "h264" ? h264KeyframeStart(payload) : vp8KeyframeStart(payload)
