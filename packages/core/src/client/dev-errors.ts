import { CODE_CHANGED_EVENT, VITE_CLIENT_URL } from '../shared/dev-events.js'
import type { ErrorSource } from '../wire/global.js'

/** What the dev-only code uses of Vite's HMR client. */
interface ViteClient {
  ErrorOverlay: new (
    err: { message: string; stack: string; frame?: string; loc?: { file: string; line: number; column: number } },
    links?: boolean,
  ) => HTMLElement
  createHotContext(ownerPath: string): { on(event: string, listener: () => void): void }
}

let client: Promise<ViteClient> | undefined
let listening = false
let showing: (Error & { source?: ErrorSource }) | null = null
let overlay: HTMLElement | null = null

// The page's own instance of Vite's client: a full URL, which neither bundlers nor Vite's import rewriting touch
// (a path would get `?import` added, and a second client with its own socket).
const viteClient = () =>
  (client ??= import(/* @vite-ignore */ new URL(VITE_CLIENT_URL, location.href).href) as Promise<ViteClient>)

/**
 * Dev only, called with the error the page shows (or null): an error page loads again by itself once a
 * project file changes (the fix may be in a file this page never imports), and with `withOverlay` (the app has
 * its own error page, which may not show the details) the error's source is shown in Vite's overlay.
 */
export async function devErrorShown(
  error: (Error & { source?: ErrorSource }) | null,
  withOverlay: boolean,
): Promise<void> {
  if (error === showing) return
  showing = error
  overlay?.remove()
  overlay = null
  if (!error) return
  const vite = await viteClient()
  if (!listening) {
    listening = true
    vite.createHotContext('/@pareto/dev-errors').on(CODE_CHANGED_EVENT, () => {
      if (showing) location.reload()
    })
  }
  const { source } = error
  if (!withOverlay || !source || showing !== error) return
  overlay = new vite.ErrorOverlay({
    message: error.message,
    stack: error.stack ?? '',
    frame: source.frame + '\n',
    loc: { file: source.file, line: source.line, column: source.column },
  })
  document.body.appendChild(overlay)
}
