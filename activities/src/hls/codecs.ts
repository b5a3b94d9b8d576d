// RFC 6381 codec strings, as HLS master playlists announce them in CODECS. Pure.

const hex2 = (value: number) => Math.max(0, Math.min(255, Math.round(value))).toString(16).padStart(2, "0")

// profile_idc and the constraint flags byte of H.264 profiles, as named by ffprobe.
const H264_PROFILES: Record<string, readonly [number, number]> = {
  "Constrained Baseline": [66, 0xe0],
  Baseline: [66, 0x00],
  Main: [77, 0x00],
  High: [100, 0x00]
}

/** "avc1.PPCCLL" for an H.264 stream of this profile and level_idc (level 4.0 is 40). */
export const h264Codec = (profile: string, level: number): string => {
  const [profileIdc, constraints] = H264_PROFILES[profile] ?? H264_PROFILES.High!
  return `avc1.${hex2(profileIdc)}${hex2(constraints)}${hex2(level)}`
}

const AAC_OBJECT_TYPES: Record<string, number> = { LC: 2, "HE-AAC": 5, "HE-AACv2": 29 }

/** "mp4a.40.N" for an AAC stream of this profile (LC unless told otherwise). */
export const aacCodec = (profile: string | null): string => `mp4a.40.${AAC_OBJECT_TYPES[profile ?? "LC"] ?? 2}`
