import type { ShownError } from '../render/error-boundary.js'
import { CODE_CHANGED_EVENT, LOCATE_EVENT, LOCATED_EVENT, VITE_CLIENT_URL } from '../shared/dev-events.js'
import type { ErrorSource } from '../wire/global.js'
import type { Entry } from './router.js'

/** What the dev-only code uses of a hot context of Vite's HMR client. */
interface HotContext {
  on(event: string, listener: (data: unknown) => void): void
  send(event: string, data: unknown): void
}

/** What the dev-only code uses of Vite's HMR client. */
interface ViteClient {
  ErrorOverlay: new (
    err: { message: string; stack: string; frame?: string; loc?: { file: string; line: number; column: number } },
    links?: boolean,
  ) => HTMLElement
  createHotContext(ownerPath: string): HotContext
}

let client: Promise<ViteClient> | undefined
let hot: Promise<HotContext> | undefined
let showing: ShownError | null = null
let overlay: HTMLElement | null = null
let lastId = 0
const asked = new Map<number, (source: ErrorSource | undefined) => void>()

// The page's own instance of Vite's client: a full URL, which neither bundlers nor Vite's import rewriting touch
// (a path would get `?import` added, and a second client with its own socket).
const viteClient = () =>
  (client ??= import(/* @vite-ignore */ new URL(VITE_CLIENT_URL, location.href).href) as Promise<ViteClient>)

// One hot context for the page: it reloads an error page once a project file changes (the fix may be in a file
// the page never imports), and carries the questions to the dev server about errors thrown in the browser.
const hotContext = () =>
  (hot ??= viteClient().then((vite) => {
    const context = vite.createHotContext('/@pareto/dev-errors')
    context.on(CODE_CHANGED_EVENT, () => {
      if (showing) location.reload()
    })
    context.on(LOCATED_EVENT, (data) => {
      const { id, source } = data as { id: number; source?: ErrorSource }
      asked.get(id)?.(source)
      asked.delete(id)
    })
    return context
  }))

/** Asks the dev server where a browser stack comes from: it has the source maps of the modules it served. */
async function locate(stack: string): Promise<ErrorSource | undefined> {
  const context = await hotContext()
  const id = ++lastId
  return new Promise((answer) => {
    asked.set(id, answer)
    context.send(LOCATE_EVENT, { id, stack })
  })
}

/** Vite's overlay over the page, with the error's place in the source, unless the page shows another error by now. */
async function openOverlay(error: ShownError, source: ErrorSource): Promise<void> {
  const vite = await viteClient()
  if (showing !== error) return
  overlay?.remove()
  overlay = new vite.ErrorOverlay({
    message: error.message,
    stack: error.stack ?? '',
    frame: source.frame + '\n',
    loc: { file: source.file, line: source.line, column: source.column },
  })
  document.body.appendChild(overlay)
}

/** Records the error the page shows now (or null), and with `withOverlay` shows its source in the overlay. */
async function show(error: ShownError | null, withOverlay: boolean): Promise<void> {
  if (error === showing) return
  showing = error
  overlay?.remove()
  overlay = null
  if (!error) return
  await hotContext()
  if (withOverlay && error.source) await openOverlay(error, error.source)
}

/**
 * Dev only: follows the entry the router shows. An error page loads again by itself once a project file
 * changes, and with `withOverlay` (the app has its own error page, which may not show the details) the
 * error's source is shown in Vite's overlay.
 */
export function watchShownErrors(
  current: () => Entry,
  subscribe: (listener: () => void) => void,
  withOverlay: boolean,
): void {
  let entry: Entry | undefined
  const check = () => {
    const next = current()
    if (next === entry) return
    entry = next
    const { view } = next.props
    void show(view.kind === 'error' ? view.error : null, withOverlay)
  }
  check()
  subscribe(check)
}

/**
 * Dev only: an error that Pareto's root boundary caught in the browser (a component that threw while
 * rendering). The dev server maps its stack to the source, shown in Vite's overlay over the error page.
 */
export async function devErrorCaught(error: unknown): Promise<void> {
  if (!(error instanceof Error) || error === showing) return
  const shown: ShownError = error
  void show(shown, false)
  const source = shown.source ?? (await locate(shown.stack ?? ''))
  if (source) await openOverlay(shown, source)
}
