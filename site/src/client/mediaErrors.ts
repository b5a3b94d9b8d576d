// Why the camera or microphone could not be opened, in words a host can act on. Pure.

export const cameraProblem = (error: unknown, secureContext: boolean): string => {
  if (!secureContext) {
    return "Your browser only lets pages use the camera over a secure connection. Open this page with https:// (or on localhost)."
  }
  const name = error instanceof Error || error instanceof DOMException ? error.name : ""
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
      return "Camera and microphone access is blocked. Allow it from the camera icon in the address bar " +
        "(or in the site settings), then press Try again."
    case "NotFoundError":
    case "DevicesNotFoundError":
      return "No camera or microphone was found. Plug one in, then press Try again."
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "The camera or microphone is busy: another app (a video call?) may be using it. Close it, then press Try again."
    case "OverconstrainedError":
      return "The chosen camera or microphone isn't available any more. Pick another one."
    case "SecurityError":
      return "This page isn't allowed to use the camera here (a browser or system setting blocks it)."
    default:
      return `The camera could not be started${error instanceof Error && error.message ? `: ${error.message}` : "."}`
  }
}
