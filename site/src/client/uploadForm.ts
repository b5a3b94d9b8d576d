// The upload island: file picking (drag and drop too), then upload with a byte progress bar, pause/resume,
// then processing progress until the video can be watched, then the link.
import { formatBytes, sentence } from "../lib/format.ts"
import { ApiRequestError, apiFetch, apiJson } from "./api.ts"
import { fileProblem, titleFromFileName, videoContentType } from "./fileChecks.ts"
import { announceOwnedVideoChanged, forgetVideo, ownedVideo, rememberVideo, updateOwnedVideo } from "./myUploads.ts"
import { forgetPendingUpload, pendingUpload, rememberPendingUpload } from "./pendingUploads.ts"
import { UploadAborted } from "./putWithProgress.ts"
import { uploadApi } from "./uploadApi.ts"
import { type Progress, type UploadTarget, uploadFile } from "./uploader.ts"
import { fingerprint } from "./uploadPlan.ts"
import { percent } from "./statusWatch.ts"

/** From this size on, files go up in parts that survive a dropped connection or a closed tab. */
export const MULTIPART_FROM_BYTES = 16 * 1024 * 1024

const POLL_EVERY_MS = 2000

/** "12.3 MB of 240 MB · 4.2 MB/s · about 1 minute left". */
const describeProgress = (progress: Progress, bytesPerSecond: number | undefined): string => {
  const parts = [`${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`]
  if (bytesPerSecond !== undefined && bytesPerSecond > 0 && progress.loaded < progress.total) {
    parts.push(`${formatBytes(bytesPerSecond)}/s`)
    const seconds = (progress.total - progress.loaded) / bytesPerSecond
    parts.push(seconds < 60 ? `about ${Math.max(1, Math.round(seconds))} s left` : `about ${Math.round(seconds / 60)} min left`)
  }
  return parts.join(" · ")
}

/** Upload speed over the last few seconds, so the estimate follows the connection rather than its history. */
const speedometer = () => {
  const samples: Array<{ at: number; loaded: number }> = []
  return (loaded: number): number | undefined => {
    const at = performance.now()
    samples.push({ at, loaded })
    while (samples.length > 2 && at - samples[0]!.at > 5000) samples.shift()
    const first = samples[0]!
    const seconds = (at - first.at) / 1000
    return seconds < 0.5 ? undefined : (loaded - first.loaded) / seconds
  }
}

const required = <E extends Element>(root: Element, selector: string): E => {
  const element = root.querySelector<E>(selector)
  if (element === null) throw new Error(`upload markup lacks ${selector}`)
  return element
}

interface VideoState {
  readonly status: string
  readonly hlsUrl: string | null
  readonly progress: number | null
  readonly failureReason: string | null
}

export const mountUpload = (root: HTMLElement): void => {
  const apiUrl = root.dataset.api ?? ""
  const api = uploadApi(apiUrl)
  const form = required<HTMLFormElement>(root, "[data-upload-form]")
  const input = required<HTMLInputElement>(form, "input[type=file]")
  const dropzone = required<HTMLElement>(form, "[data-dropzone]")
  const card = required<HTMLElement>(form, "[data-file-card]")
  const resumeNote = required<HTMLElement>(form, "[data-resume-note]")
  const titleInput = required<HTMLInputElement>(form, "input[name=title]")
  const descriptionInput = required<HTMLTextAreaElement>(form, "textarea[name=description]")
  const errorBox = required<HTMLElement>(root, "[data-upload-error]")
  const panel = required<HTMLElement>(root, "[data-upload-progress]")
  const phaseTitle = required<HTMLElement>(panel, "[data-phase-title]")
  const bar = required<HTMLProgressElement>(panel, "[data-bar]")
  const percentText = required<HTMLElement>(panel, "[data-percent]")
  const detail = required<HTMLElement>(panel, "[data-detail]")
  const pauseButton = required<HTMLButtonElement>(panel, "[data-pause]")
  const resumeButton = required<HTMLButtonElement>(panel, "[data-resume]")
  const cancelButton = required<HTMLButtonElement>(panel, "[data-cancel]")
  const watchLink = required<HTMLAnchorElement>(panel, "[data-watch]")
  const anotherButton = required<HTMLButtonElement>(panel, "[data-another]")
  const leaveNote = required<HTMLElement>(panel, "[data-leave-note]")

  for (const element of root.querySelectorAll<HTMLElement>("[data-js-only]")) element.hidden = false

  let file: File | undefined
  let target: UploadTarget | undefined
  let controller: AbortController | undefined
  let uploading = false
  let pollTimer: number | undefined
  let lastProgress: Progress | undefined

  // --- messages and phases ----------------------------------------------------------------------------
  const showError = (message: string) => {
    required<HTMLElement>(errorBox, "[data-upload-error-text]").textContent = sentence(message)
    errorBox.hidden = false
    errorBox.scrollIntoView({ block: "nearest" })
  }
  const clearError = () => {
    errorBox.hidden = true
  }

  const setStep = (current: "upload" | "process" | "ready") => {
    const order = ["upload", "process", "ready"]
    for (const step of panel.querySelectorAll<HTMLElement>("[data-step]")) {
      const index = order.indexOf(step.dataset.step ?? "")
      const at = order.indexOf(current)
      step.dataset.state = index < at ? "done" : index === at ? "current" : "todo"
      if (index === at) step.setAttribute("aria-current", "step")
      else step.removeAttribute("aria-current")
    }
  }

  const setBar = (value: number | undefined) => {
    if (value === undefined) {
      bar.removeAttribute("value")
      percentText.textContent = ""
    } else {
      bar.value = value
      percentText.textContent = `${value}%`
    }
  }

  const showButtons = (visible: { pause?: boolean; resume?: boolean; cancel?: boolean; watch?: boolean; another?: boolean }) => {
    pauseButton.hidden = !visible.pause
    resumeButton.hidden = !visible.resume
    cancelButton.hidden = !visible.cancel
    watchLink.hidden = !visible.watch
    anotherButton.hidden = !visible.another
  }

  // --- picking a file -----------------------------------------------------------------------------------
  const selectFile = (picked: File | undefined) => {
    clearError()
    if (picked === undefined) return
    const problem = fileProblem(picked)
    if (problem !== undefined) {
      input.value = ""
      showError(problem)
      return
    }
    file = picked
    target = undefined
    dropzone.dataset.hasFile = ""
    card.hidden = false
    required<HTMLElement>(card, "[data-file-name]").textContent = picked.name
    required<HTMLElement>(card, "[data-file-size]").textContent = formatBytes(picked.size)
    const pending = pendingUpload(fingerprint(picked))
    // A file started before keeps the title it was given then (which resuming sends again), not its file name.
    const earlierTitle = pending === undefined ? undefined : ownedVideo(pending.videoId)?.title
    if (titleInput.value.trim() === "") titleInput.value = earlierTitle ?? titleFromFileName(picked.name)
    resumeNote.hidden = pending === undefined
    resumeNote.textContent = pending === undefined
      ? ""
      : pending.multipart === undefined
      ? "You started uploading this file before: it goes into the same video."
      : "You started uploading this file before: it continues where it stopped."
  }

  input.addEventListener("change", () => selectFile(input.files?.[0]))
  required<HTMLButtonElement>(card, "[data-change-file]").addEventListener("click", () => input.click())

  for (const type of ["dragenter", "dragover"]) {
    dropzone.addEventListener(type, (event) => {
      event.preventDefault()
      dropzone.dataset.dragging = ""
    })
  }
  for (const type of ["dragleave", "dragend"]) dropzone.addEventListener(type, () => delete dropzone.dataset.dragging)
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault()
    delete dropzone.dataset.dragging
    const dropped = event.dataTransfer?.files
    if (dropped === undefined || dropped.length === 0) return
    // The form's own input holds the file too, so the no-JS path and the island agree on what was picked.
    input.files = dropped
    selectFile(dropped[0])
  })

  // --- uploading ----------------------------------------------------------------------------------------
  const warnBeforeLeaving = (event: BeforeUnloadEvent) => {
    if (uploading) event.preventDefault()
  }
  window.addEventListener("beforeunload", warnBeforeLeaving)

  const details = () => {
    const visibility = form.querySelector<HTMLInputElement>("input[name=visibility]:checked")?.value ?? "PUBLIC"
    return { title: titleInput.value.trim(), description: descriptionInput.value, visibility }
  }

  const createTarget = async (picked: File): Promise<UploadTarget> => {
    const key = fingerprint(picked)
    const pending = pendingUpload(key)
    if (pending !== undefined) {
      return {
        videoId: pending.videoId,
        manageToken: pending.manageToken,
        ...(pending.multipart === undefined ? {} : { multipart: pending.multipart })
      }
    }
    const announced = { fileName: picked.name, fileSize: picked.size, contentType: videoContentType(picked) ?? "video/mp4", ...details() }
    const created = picked.size >= MULTIPART_FROM_BYTES ? await api.multipart(announced) : await api.single(announced)
    // Remembered at once: even if this tab closes now, the owner can find, finish or delete the video.
    rememberVideo({ id: created.videoId, title: details().title, kind: "VOD", manageToken: created.manageToken, createdAt: new Date().toISOString() })
    rememberPendingUpload(key, {
      videoId: created.videoId,
      manageToken: created.manageToken,
      ...(created.multipart === undefined ? {} : { multipart: created.multipart }),
      startedAt: new Date().toISOString()
    })
    return created
  }

  const runUpload = async () => {
    if (file === undefined) return
    const picked = file
    controller = new AbortController()
    uploading = true
    clearError()
    setStep("upload")
    phaseTitle.textContent = `Uploading “${details().title}”`
    showButtons({ pause: true, cancel: true })
    const speed = speedometer()
    try {
      if (target === undefined) {
        detail.textContent = "Preparing the upload…"
        const resuming = pendingUpload(fingerprint(picked)) !== undefined
        target = await createTarget(picked)
        // A resumed upload's video exists already: what the person typed this time replaces what it had.
        if (resuming) {
          await api.describe(target, details())
          updateOwnedVideo(target.videoId, { title: details().title })
        }
      }
      await uploadFile(picked, target, api.backend, (progress) => {
        lastProgress = progress
        const value = percent(progress.total === 0 ? 1 : progress.loaded / progress.total)
        setBar(value)
        detail.textContent = describeProgress(progress, speed(progress.loaded))
      }, controller.signal)
      detail.textContent = "Checking the upload…"
      await api.complete(target)
      forgetPendingUpload(fingerprint(picked))
      announceOwnedVideoChanged()
      uploading = false
      followProcessing(target)
    } catch (error) {
      uploading = false
      if (error instanceof UploadAborted) {
        phaseTitle.textContent = "Upload paused"
        // Parts cut off mid-way are sent again: the bar shows what storage really holds.
        const stored = lastProgress?.stored ?? 0
        setBar(percent(picked.size === 0 ? 0 : stored / picked.size))
        detail.textContent = target?.multipart === undefined
          ? "Resuming starts this file again from the beginning."
          : `${formatBytes(stored)} of ${formatBytes(picked.size)} stored. Resume continues from there, even after closing this page.`
        showButtons({ resume: true, cancel: true })
        return
      }
      phaseTitle.textContent = "Upload interrupted"
      showError(error instanceof Error ? error.message : String(error))
      // Refused before any video existed (bad file, too large): back to the form to fix it.
      if (target === undefined) {
        panel.hidden = true
        form.hidden = false
        return
      }
      showButtons({ resume: true, cancel: true })
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (file === undefined) {
      showError("Pick a video file first.")
      return
    }
    form.hidden = true
    panel.hidden = false
    setBar(0)
    void runUpload()
  })

  pauseButton.addEventListener("click", () => controller?.abort())
  resumeButton.addEventListener("click", () => void runUpload())

  cancelButton.addEventListener("click", async () => {
    controller?.abort()
    window.clearTimeout(pollTimer)
    const cancelled = target
    target = undefined
    if (file !== undefined) forgetPendingUpload(fingerprint(file))
    if (cancelled !== undefined) {
      forgetVideo(cancelled.videoId)
      await apiFetch(apiUrl, `/api/videos/${encodeURIComponent(cancelled.videoId)}`, {
        method: "DELETE",
        token: cancelled.manageToken
      }).catch(() => {})
    }
    resetForm()
  })

  // --- processing, until watchable and then until every quality is ready -------------------------------------
  const followProcessing = (uploaded: UploadTarget) => {
    setStep("process")
    phaseTitle.textContent = "Processing"
    detail.textContent = "Preparing the video for streaming…"
    setBar(undefined)
    leaveNote.hidden = false
    showButtons({})
    const watchUrl = `/videos/${uploaded.videoId}`
    watchLink.href = watchUrl
    const poll = async () => {
      try {
        const video = await apiJson<VideoState>(apiUrl, `/api/videos/${encodeURIComponent(uploaded.videoId)}`, {
          token: uploaded.manageToken
        })
        if (video.status === "FAILED" || video.status === "READY") announceOwnedVideoChanged()
        if (video.status === "FAILED") {
          phaseTitle.textContent = "Processing failed"
          detail.textContent = ""
          setBar(undefined)
          bar.hidden = true
          leaveNote.hidden = true
          showError(video.failureReason ?? "The video could not be processed.")
          showButtons({ another: true })
          return
        }
        if (video.status === "READY") {
          setStep("ready")
          phaseTitle.textContent = "Ready to watch"
          setBar(100)
          detail.textContent = "Every quality is ready."
          leaveNote.hidden = true
          showButtons({ watch: true, another: true })
          watchLink.focus()
          return
        }
        setBar(video.progress === null ? undefined : percent(video.progress))
        if (video.hlsUrl !== null) {
          // Watchable early: a quick first version plays while the other qualities are encoded.
          detail.textContent = "You can watch it now; more qualities are on the way."
          showButtons({ watch: true })
        }
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 404) {
          showError("The video no longer exists.")
          showButtons({ another: true })
          return
        }
      }
      pollTimer = window.setTimeout(() => void poll(), POLL_EVERY_MS)
    }
    void poll()
  }

  const resetForm = () => {
    window.clearTimeout(pollTimer)
    file = undefined
    target = undefined
    form.reset()
    delete dropzone.dataset.hasFile
    card.hidden = true
    resumeNote.hidden = true
    bar.hidden = false
    leaveNote.hidden = true
    panel.hidden = true
    form.hidden = false
    clearError()
    input.focus()
  }

  anotherButton.addEventListener("click", resetForm)
}
