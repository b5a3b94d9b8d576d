// The host's studio: camera preview, device pickers, camera and microphone toggles, Start/Stop over WHIP,
// connection state, elapsed time and views, and camera problems explained in plain words.
import { formatCount, formatElapsed } from "../lib/format.ts"
import { apiFetch, apiJson } from "./api.ts"
import { cameraProblem } from "./mediaErrors.ts"
import { ownedVideo, updateOwnedVideo } from "./myUploads.ts"
import { iceGatheringDone, preferH264, WhipError, whipEnd, whipPublish } from "./whip.ts"

type Phase = "offline" | "connecting" | "live" | "reconnecting" | "stopping" | "ended"

const VIEWS_EVERY_MS = 5000
/** How long a dropped connection may take to come back before the host is told it is lost. */
const RECONNECT_GRACE_MS = 10_000

const find = <E extends Element>(root: ParentNode, selector: string): E => {
  const element = root.querySelector<E>(selector)
  if (element === null) throw new Error(`studio markup lacks ${selector}`)
  return element
}

export const mountStudio = (root: HTMLElement): void => {
  const videoId = root.dataset.videoId ?? ""
  const apiUrl = root.dataset.api ?? ""
  const owned = ownedVideo(videoId)
  const whipUrl = owned?.whipUrl ?? root.dataset.whipUrl ?? ""
  let streamKey = owned?.streamKey

  const preview = find<HTMLVideoElement>(root, "[data-preview]")
  const cameraOff = find<HTMLElement>(root, "[data-camera-off]")
  const pill = find<HTMLElement>(root, "[data-state-pill]")
  const elapsed = find<HTMLElement>(root, "[data-elapsed]")
  const viewers = find<HTMLElement>(root, "[data-viewers]")
  const problem = find<HTMLElement>(root, "[data-problem]")
  const problemText = find<HTMLElement>(root, "[data-problem-text]")
  const retry = find<HTMLButtonElement>(root, "[data-retry]")
  const cameraToggle = find<HTMLButtonElement>(root, "[data-toggle-camera]")
  const micToggle = find<HTMLButtonElement>(root, "[data-toggle-mic]")
  const startButton = find<HTMLButtonElement>(root, "[data-start]")
  const stopButton = find<HTMLButtonElement>(root, "[data-stop]")
  const cameraSelect = find<HTMLSelectElement>(root, "[data-camera-select]")
  const micSelect = find<HTMLSelectElement>(root, "[data-mic-select]")
  const level = find<HTMLMeterElement>(root, "[data-mic-level]")
  const statusText = find<HTMLElement>(root, "[data-status-text]")
  const connectionText = find<HTMLElement>(root, "[data-connection]")
  const keyField = find<HTMLElement>(root, "[data-key-field]")
  const keyInput = find<HTMLInputElement>(root, "[data-key-input]")
  const ended = find<HTMLElement>(root, "[data-ended]")

  let stream: MediaStream | undefined
  let pc: RTCPeerConnection | undefined
  let sessionUrl: string | undefined
  let phase: Phase = "offline"
  let startedAt = 0
  let cameraOn = true
  let micOn = true
  let clock: number | undefined
  let viewsTimer: number | undefined
  let reconnectTimer: number | undefined

  keyField.hidden = streamKey !== undefined

  // --- what the host sees ---------------------------------------------------------------------------------
  const PHASE_TEXT: Record<Phase, string> = {
    offline: "Offline",
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    stopping: "Stopping…",
    ended: "Ended"
  }

  const setPhase = (next: Phase) => {
    phase = next
    root.dataset.phase = next
    pill.textContent = PHASE_TEXT[next]
    pill.className = `pill${next === "live" ? " pill-live" : ""}`
    statusText.textContent = next === "live" ? "You're live" : next === "ended" ? "Stream ended" : PHASE_TEXT[next]
    startButton.hidden = next !== "offline"
    stopButton.hidden = !(next === "connecting" || next === "live" || next === "reconnecting")
    stopButton.disabled = false
    elapsed.hidden = !(next === "live" || next === "reconnecting")
    ended.hidden = next !== "ended"
    for (const select of [cameraSelect, micSelect]) select.disabled = next === "stopping" || next === "ended"
  }

  const showProblem = (text: string, canRetry: boolean) => {
    problemText.textContent = text
    retry.hidden = !canRetry
    problem.hidden = false
  }
  const clearProblem = () => {
    problem.hidden = true
  }

  // --- camera and microphone --------------------------------------------------------------------------------
  const videoTrack = () => stream?.getVideoTracks()[0]
  const audioTrack = () => stream?.getAudioTracks()[0]

  const constraintsFor = (kind: "video" | "audio", deviceId: string | undefined): MediaTrackConstraints =>
    kind === "video"
      ? { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } }
      : { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), echoCancellation: true, noiseSuppression: true }

  /** Both devices when there are both; one when the other is missing (a desktop without a microphone). */
  const openDevices = async (): Promise<MediaStream> => {
    const media = navigator.mediaDevices
    try {
      return await media.getUserMedia({ video: constraintsFor("video", undefined), audio: constraintsFor("audio", undefined) })
    } catch (error) {
      if (!(error instanceof DOMException) || error.name !== "NotFoundError") throw error
      for (const only of [{ video: constraintsFor("video", undefined) }, { audio: constraintsFor("audio", undefined) }]) {
        try {
          return await media.getUserMedia(only)
        } catch {
          // try the other kind
        }
      }
      throw error
    }
  }

  const fillDevices = async () => {
    const devices = await navigator.mediaDevices.enumerateDevices()
    const fill = (select: HTMLSelectElement, kind: MediaDeviceKind, current: string | undefined, noun: string) => {
      const options = devices.filter((device) => device.kind === kind)
      select.replaceChildren(...options.map((device, index) => new Option(device.label || `${noun} ${index + 1}`, device.deviceId)))
      if (options.length === 0) select.replaceChildren(new Option(`No ${noun.toLowerCase()} found`, ""))
      if (current) select.value = current
      select.disabled = options.length === 0
    }
    fill(cameraSelect, "videoinput", videoTrack()?.getSettings().deviceId, "Camera")
    fill(micSelect, "audioinput", audioTrack()?.getSettings().deviceId, "Microphone")
  }

  let meterStop: (() => void) | undefined
  const watchLevel = (track: MediaStreamTrack | undefined) => {
    meterStop?.()
    meterStop = undefined
    if (track === undefined || typeof AudioContext === "undefined") return
    const context = new AudioContext()
    const analyser = context.createAnalyser()
    analyser.fftSize = 512
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser)
    const samples = new Uint8Array(analyser.fftSize)
    let frame = 0
    const tick = () => {
      analyser.getByteTimeDomainData(samples)
      let peak = 0
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128) / 128)
      level.value = micOn ? peak : 0
      frame = requestAnimationFrame(tick)
    }
    tick()
    // Some browsers start audio contexts suspended until the page is clicked.
    const resume = () => void context.resume()
    document.addEventListener("click", resume, { once: true })
    meterStop = () => {
      cancelAnimationFrame(frame)
      document.removeEventListener("click", resume)
      void context.close()
    }
  }

  const useStream = (next: MediaStream) => {
    stream = next
    preview.srcObject = next
    const video = videoTrack()
    const audio = audioTrack()
    if (video) video.enabled = cameraOn
    if (audio) audio.enabled = micOn
    cameraToggle.disabled = video === undefined
    micToggle.disabled = audio === undefined
    cameraOff.hidden = video !== undefined && cameraOn
    watchLevel(audio)
  }

  const startCamera = async () => {
    clearProblem()
    if (!window.isSecureContext || navigator.mediaDevices?.getUserMedia === undefined) {
      showProblem(cameraProblem(undefined, false), false)
      return
    }
    try {
      useStream(await openDevices())
      await fillDevices()
    } catch (error) {
      showProblem(cameraProblem(error, true), true)
    }
  }

  /** Another camera or microphone: swapped into the preview and, when live, into the stream without a restart. */
  const switchDevice = async (kind: "video" | "audio", deviceId: string) => {
    if (stream === undefined) return
    try {
      const fresh = await navigator.mediaDevices.getUserMedia({ [kind]: constraintsFor(kind, deviceId) })
      const track = fresh.getTracks()[0]!
      const old = kind === "video" ? videoTrack() : audioTrack()
      const sender = pc?.getSenders().find((candidate) => candidate.track?.kind === kind || (candidate.track === null && old === undefined))
      await sender?.replaceTrack(track)
      if (old) {
        stream.removeTrack(old)
        old.stop()
      }
      stream.addTrack(track)
      useStream(stream)
      clearProblem()
    } catch (error) {
      showProblem(cameraProblem(error, true), false)
    }
  }

  cameraSelect.addEventListener("change", () => void switchDevice("video", cameraSelect.value))
  micSelect.addEventListener("change", () => void switchDevice("audio", micSelect.value))

  const setToggle = (button: HTMLButtonElement, on: boolean, noun: string) => {
    button.setAttribute("aria-pressed", String(on))
    button.textContent = on ? `${noun} on` : `${noun} off`
    button.classList.toggle("toggle-off", !on)
  }
  cameraToggle.addEventListener("click", () => {
    cameraOn = !cameraOn
    const video = videoTrack()
    // A disabled track keeps the connection and sends black frames: viewers see the stream pause, not end.
    if (video) video.enabled = cameraOn
    cameraOff.hidden = cameraOn
    setToggle(cameraToggle, cameraOn, "Camera")
  })
  micToggle.addEventListener("click", () => {
    micOn = !micOn
    const audio = audioTrack()
    if (audio) audio.enabled = micOn
    setToggle(micToggle, micOn, "Mic")
  })
  retry.addEventListener("click", () => void startCamera())

  // --- going live over WHIP ---------------------------------------------------------------------------------
  const stopTimers = () => {
    window.clearInterval(clock)
    window.clearInterval(viewsTimer)
    window.clearTimeout(reconnectTimer)
  }

  const refreshViews = async () => {
    try {
      const status = await apiJson<{ viewsTotal: number }>(apiUrl, `/api/live/${encodeURIComponent(videoId)}/status`, {
        token: owned?.manageToken
      })
      viewers.textContent = `${formatCount(status.viewsTotal)} ${status.viewsTotal === 1 ? "view" : "views"}`
      viewers.hidden = false
    } catch {
      // Views are a nicety; the stream goes on without them.
    }
  }

  const onLive = () => {
    if (phase === "live") return
    window.clearTimeout(reconnectTimer)
    if (startedAt === 0) startedAt = performance.now()
    setPhase("live")
    clearProblem()
    connectionText.textContent = "Connected"
    clock ??= window.setInterval(() => {
      elapsed.textContent = formatElapsed((performance.now() - startedAt) / 1000)
    }, 1000)
    elapsed.textContent = formatElapsed((performance.now() - startedAt) / 1000)
    viewsTimer ??= window.setInterval(() => void refreshViews(), VIEWS_EVERY_MS)
    void refreshViews()
  }

  const teardown = () => {
    stopTimers()
    clock = undefined
    viewsTimer = undefined
    pc?.close()
    pc = undefined
  }

  const connectionLost = () => {
    const session = sessionUrl
    teardown()
    sessionUrl = undefined
    if (session !== undefined && streamKey !== undefined) void whipEnd(session, streamKey)
    setPhase("offline")
    startedAt = 0
    connectionText.textContent = "Lost"
    showProblem("The connection to the server was lost. Press Start streaming to try again.", false)
  }

  const watchConnection = (peer: RTCPeerConnection) => {
    peer.addEventListener("connectionstatechange", () => {
      if (peer !== pc) return
      connectionText.textContent = peer.connectionState
      switch (peer.connectionState) {
        case "connected":
          onLive()
          break
        case "disconnected":
          setPhase("reconnecting")
          reconnectTimer = window.setTimeout(connectionLost, RECONNECT_GRACE_MS)
          break
        case "failed":
          connectionLost()
          break
      }
    })
  }

  const start = async () => {
    clearProblem()
    if (streamKey === undefined) {
      const pasted = keyInput.value.trim()
      if (pasted === "") {
        showProblem("Paste this stream's key first (you got it when you created the stream).", false)
        keyInput.focus()
        return
      }
      streamKey = pasted
    }
    if (stream === undefined) await startCamera()
    if (stream === undefined) return
    setPhase("connecting")
    connectionText.textContent = "Connecting"
    const peer = new RTCPeerConnection({ bundlePolicy: "max-bundle" })
    pc = peer
    watchConnection(peer)
    try {
      const video = videoTrack()
      const audio = audioTrack()
      const videoTransceiver = peer.addTransceiver(video ?? "video", { direction: "sendonly", streams: [stream] })
      preferH264(videoTransceiver)
      peer.addTransceiver(audio ?? "audio", { direction: "sendonly", streams: [stream] })
      await peer.setLocalDescription(await peer.createOffer())
      await iceGatheringDone(peer)
      const session = await whipPublish(whipUrl, streamKey, peer.localDescription?.sdp ?? "")
      sessionUrl = session.location
      if (owned !== undefined && owned.streamKey === undefined) updateOwnedVideo(videoId, { streamKey })
      await peer.setRemoteDescription({ type: "answer", sdp: session.answer })
      if (peer.connectionState === "connected") onLive()
    } catch (error) {
      teardown()
      setPhase("offline")
      connectionText.textContent = "—"
      if (error instanceof WhipError && (error.status === 401 || error.status === 403) && owned?.streamKey === undefined) {
        // A pasted key that was wrong: let the host paste another.
        streamKey = undefined
        keyField.hidden = false
      }
      showProblem(error instanceof Error ? error.message : String(error), false)
    }
  }

  const stop = async () => {
    setPhase("stopping")
    stopButton.disabled = true
    const session = sessionUrl
    sessionUrl = undefined
    const closed = session !== undefined && streamKey !== undefined && (await whipEnd(session, streamKey))
    if (!closed && owned !== undefined) {
      // The WHIP session could not be ended (network): the manage token stops the stream through the API.
      await apiFetch(apiUrl, `/api/live/${encodeURIComponent(videoId)}/stop`, { method: "POST", token: owned.manageToken }).catch(() => {})
    }
    teardown()
    setPhase("ended")
    connectionText.textContent = "Closed"
  }

  startButton.addEventListener("click", () => void start())
  stopButton.addEventListener("click", () => void stop())

  window.addEventListener("beforeunload", (event) => {
    if (phase === "live" || phase === "connecting" || phase === "reconnecting") event.preventDefault()
  })
  window.addEventListener("pagehide", () => {
    if (sessionUrl !== undefined && streamKey !== undefined) void whipEnd(sessionUrl, streamKey)
  })

  setPhase("offline")
  void startCamera()
}
