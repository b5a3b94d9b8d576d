// Copy buttons for read-only values (stream key, WHIP URL, links), and Show/Hide for secret ones.

const copyText = async (input: HTMLInputElement): Promise<boolean> => {
  try {
    await navigator.clipboard.writeText(input.value)
    return true
  } catch {
    // No clipboard permission (or an insecure page): select it so Ctrl+C / ⌘C works.
    input.type = "text"
    input.select()
    return document.execCommand?.("copy") ?? false
  }
}

export const mountCopyField = (root: HTMLElement): void => {
  const input = root.querySelector<HTMLInputElement>("input")
  const copy = root.querySelector<HTMLButtonElement>("[data-copy]")
  const reveal = root.querySelector<HTMLButtonElement>("[data-reveal]")
  const status = root.querySelector<HTMLElement>("[data-copy-status]")
  if (input === null || copy === null) return
  copy.hidden = false
  copy.addEventListener("click", async () => {
    const copied = await copyText(input)
    if (status) status.textContent = copied ? "Copied to the clipboard." : "Selected: press Ctrl+C (⌘C) to copy."
    window.setTimeout(() => {
      if (status) status.textContent = ""
    }, 4000)
  })
  reveal?.addEventListener("click", () => {
    const shown = input.type === "text"
    input.type = shown ? "password" : "text"
    reveal.textContent = shown ? "Show" : "Hide"
    reveal.setAttribute("aria-pressed", String(!shown))
  })
}
