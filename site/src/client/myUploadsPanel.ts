// The "My uploads" list: each video this browser created, with its current state from the API, and the
// owner's controls (visibility, edit title and description, delete) that its manage token unlocks.
import { timeAgo } from "../lib/format.ts"
import { ApiRequestError, apiFetch, apiJson } from "./api.ts"
import { MY_UPLOADS_CHANGED_EVENT } from "./events.ts"
import { forgetVideo, type OwnedVideo, ownedVideos, updateOwnedVideo } from "./myUploads.ts"
import { forgetPendingUploadOf } from "./pendingUploads.ts"
import { percent } from "./statusWatch.ts"

const REFRESH_CHANGING_MS = 5000

interface VideoJson {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly status: string
  readonly visibility: string
  readonly videoType: string
  readonly thumbnailUrl: string | null
  readonly isLiveNow: boolean
  readonly progress: number | null
  readonly failureReason: string | null
  readonly createdAt: string
}

const statusLabel = (video: VideoJson): string => {
  switch (video.status) {
    case "PENDING":
      return video.videoType === "LIVE" ? "Not started" : "Upload not finished"
    case "PROCESSING":
      return video.progress === null ? "Processing" : `Processing ${percent(video.progress)}%`
    case "LIVE":
      return "Live now"
    case "FAILED":
      return "Failed"
    default:
      return "Ready"
  }
}

const find = <E extends Element>(root: ParentNode, selector: string): E => {
  const element = root.querySelector<E>(selector)
  if (element === null) throw new Error(`my uploads markup lacks ${selector}`)
  return element
}

export const mountMyUploads = (root: HTMLElement): void => {
  const apiUrl = root.dataset.api ?? ""
  const list = find<HTMLUListElement>(root, "[data-list]")
  const empty = find<HTMLElement>(root, "[data-empty]")
  const template = find<HTMLTemplateElement>(root, "[data-item-template]")
  const rendered = new Map<string, HTMLLIElement>()
  /** Videos whose state is still changing (uploading, processing, live) are looked at again every few seconds. */
  const changing = new Map<string, OwnedVideo>()

  const renderItem = (owned: OwnedVideo): HTMLLIElement => {
    const item = (template.content.cloneNode(true) as DocumentFragment).querySelector("li")!
    item.dataset.videoId = owned.id
    const watchUrl = `/videos/${owned.id}`
    for (const link of item.querySelectorAll<HTMLAnchorElement>("[data-link]")) link.href = watchUrl
    find<HTMLElement>(item, "[data-title]").textContent = owned.title
    find<HTMLElement>(item, "[data-status]").textContent = "Loading…"
    find<HTMLElement>(item, "[data-visibility-label]").textContent = `Visibility of ${owned.title}`
    const studio = find<HTMLAnchorElement>(item, "[data-studio]")
    studio.href = `/live/stream/${owned.id}`
    studio.hidden = owned.kind !== "LIVE"

    const message = find<HTMLElement>(item, "[data-message]")
    const say = (text: string) => {
      message.textContent = text
    }
    const token = owned.manageToken

    // --- visibility: saved as soon as it changes ---------------------------------------------------------
    const visibility = find<HTMLSelectElement>(item, "[data-visibility]")
    visibility.addEventListener("change", async () => {
      say("Saving…")
      try {
        await apiJson(apiUrl, `/api/videos/${encodeURIComponent(owned.id)}`, { method: "PATCH", token, json: { visibility: visibility.value } })
        visibility.dataset.saved = visibility.value
        say(`Visibility saved: ${visibility.selectedOptions[0]?.textContent ?? visibility.value}.`)
      } catch (error) {
        visibility.value = visibility.dataset.saved ?? visibility.value
        say(`Not saved: ${error instanceof Error ? error.message : String(error)}`)
      }
    })

    // --- edit title and description ----------------------------------------------------------------------
    const actions = find<HTMLElement>(item, "[data-actions]")
    const editForm = find<HTMLFormElement>(item, "[data-edit-form]")
    const titleInput = find<HTMLInputElement>(editForm, "input[name=title]")
    const descriptionInput = find<HTMLTextAreaElement>(editForm, "textarea[name=description]")
    find<HTMLButtonElement>(item, "[data-edit]").addEventListener("click", () => {
      actions.hidden = true
      editForm.hidden = false
      titleInput.focus()
    })
    const closeEdit = () => {
      editForm.hidden = true
      actions.hidden = false
      find<HTMLButtonElement>(item, "[data-edit]").focus()
    }
    find<HTMLButtonElement>(item, "[data-edit-cancel]").addEventListener("click", closeEdit)
    editForm.addEventListener("submit", async (event) => {
      event.preventDefault()
      say("Saving…")
      try {
        const saved = await apiJson<VideoJson>(apiUrl, `/api/videos/${encodeURIComponent(owned.id)}`, {
          method: "PATCH",
          token,
          json: { title: titleInput.value.trim(), description: descriptionInput.value }
        })
        find<HTMLElement>(item, "[data-title]").textContent = saved.title
        updateOwnedVideo(owned.id, { title: saved.title })
        closeEdit()
        say("Saved.")
      } catch (error) {
        say(`Not saved: ${error instanceof Error ? error.message : String(error)}`)
      }
    })

    // --- delete, after a second click that says what it does ------------------------------------------------
    const confirm = find<HTMLElement>(item, "[data-confirm]")
    find<HTMLButtonElement>(item, "[data-delete]").addEventListener("click", () => {
      find<HTMLElement>(confirm, "[data-confirm-text]").textContent =
        `Delete “${find<HTMLElement>(item, "[data-title]").textContent}” for good? This can't be undone.`
      actions.hidden = true
      confirm.hidden = false
      find<HTMLButtonElement>(confirm, "[data-confirm-keep]").focus()
    })
    find<HTMLButtonElement>(item, "[data-confirm-keep]").addEventListener("click", () => {
      confirm.hidden = true
      actions.hidden = false
      find<HTMLButtonElement>(item, "[data-delete]").focus()
    })
    find<HTMLButtonElement>(item, "[data-confirm-delete]").addEventListener("click", async () => {
      say("Deleting…")
      try {
        await apiFetch(apiUrl, `/api/videos/${encodeURIComponent(owned.id)}`, { method: "DELETE", token })
      } catch (error) {
        if (!(error instanceof ApiRequestError && error.status === 404)) {
          say(`Not deleted: ${error instanceof Error ? error.message : String(error)}`)
          return
        }
      }
      forgetPendingUploadOf(owned.id)
      forgetVideo(owned.id)
    })

    find<HTMLButtonElement>(item, "[data-forget]").addEventListener("click", () => forgetVideo(owned.id))
    return item
  }

  const showState = (item: HTMLLIElement, video: VideoJson) => {
    find<HTMLElement>(item, "[data-title]").textContent = video.title
    find<HTMLElement>(item, "[data-status]").textContent = statusLabel(video)
    find<HTMLElement>(item, "[data-status]").className = `badge${video.status === "LIVE" ? " badge-live" : ""}`
    const created = new Date(video.createdAt)
    find<HTMLElement>(item, "[data-meta]").textContent = video.status === "FAILED" && video.failureReason
      ? video.failureReason
      : video.status === "PENDING" && video.videoType === "VOD"
      ? "Pick the same file in the form above to finish uploading it."
      : `Added ${timeAgo(created)}`
    const visibility = find<HTMLSelectElement>(item, "[data-visibility]")
    visibility.value = video.visibility
    visibility.dataset.saved = video.visibility
    find<HTMLInputElement>(item, "input[name=title]").value = video.title
    find<HTMLTextAreaElement>(item, "textarea[name=description]").value = video.description
    const thumb = find<HTMLImageElement>(item, "[data-thumb]")
    if (video.thumbnailUrl !== null) {
      thumb.src = video.thumbnailUrl
      thumb.hidden = false
    }
  }

  const showGone = (item: HTMLLIElement) => {
    find<HTMLElement>(item, "[data-status]").textContent = "Deleted"
    find<HTMLElement>(item, "[data-meta]").textContent = "This video no longer exists."
    find<HTMLElement>(item, "[data-actions]").hidden = true
    find<HTMLElement>(item, "[data-forget]").hidden = false
  }

  const load = async (item: HTMLLIElement, owned: OwnedVideo) => {
    try {
      const video = await apiJson<VideoJson>(apiUrl, `/api/videos/${encodeURIComponent(owned.id)}`, { token: owned.manageToken })
      showState(item, video)
      if (["PENDING", "PROCESSING", "LIVE"].includes(video.status)) changing.set(owned.id, owned)
      else changing.delete(owned.id)
    } catch (error) {
      changing.delete(owned.id)
      if (error instanceof ApiRequestError && error.status === 404) showGone(item)
      else find<HTMLElement>(item, "[data-status]").textContent = "Unknown (try again later)"
    }
  }

  const render = () => {
    const owned = ownedVideos()
    empty.hidden = owned.length > 0
    const wanted = new Set(owned.map((entry) => entry.id))
    for (const [id, item] of rendered) {
      if (!wanted.has(id)) {
        item.remove()
        rendered.delete(id)
        changing.delete(id)
      }
    }
    // Newest first; items already shown keep their state (and any open edit form).
    let previous: HTMLLIElement | undefined
    for (const entry of owned) {
      let item = rendered.get(entry.id)
      if (item === undefined) {
        item = renderItem(entry)
        rendered.set(entry.id, item)
        void load(item, entry)
      }
      if (previous === undefined) {
        if (list.firstElementChild !== item) list.prepend(item)
      } else if (previous.nextElementSibling !== item) {
        previous.after(item)
      }
      previous = item
    }
  }

  render()
  window.setInterval(() => {
    if (document.visibilityState === "hidden") return
    for (const [id, owned] of changing) {
      const item = rendered.get(id)
      if (item !== undefined) void load(item, owned)
    }
  }, REFRESH_CHANGING_MS)
  const renderAndRefresh = () => {
    render()
    for (const [id, owned] of changing) {
      const item = rendered.get(id)
      if (item !== undefined) void load(item, owned)
    }
  }
  document.addEventListener(MY_UPLOADS_CHANGED_EVENT, renderAndRefresh)
  // Another tab uploaded or deleted something.
  window.addEventListener("storage", render)
}
