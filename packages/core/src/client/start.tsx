import { hydrateRoot } from 'react-dom/client'
import { decodeFrames, queueToStream } from '../wire/decode.js'
import { BOOT_GLOBAL } from '../wire/global.js'
import type { PageData } from '../wire/protocol.js'
import { DEFERRED_DIGEST_PREFIX, RENDER_DIGEST_PREFIX } from '../wire/digest.js'
import { createRouter } from './router.js'
import { loadView, makeEntry } from './view.js'
import type { ClientRoutes, ViewTarget } from './view.js'

/** What the generated client entry passes: the page routes and a lazy import per route file. */
export type ClientOptions = ClientRoutes

/** An error the server already logged and marked for its boundary: rejected deferred data, or a part that failed to render. */
function isServerMarked(error: unknown): boolean {
  const digest = (error as { digest?: unknown })?.digest
  return (
    typeof digest === 'string' && (digest.startsWith(DEFERRED_DIGEST_PREFIX) || digest.startsWith(RENDER_DIGEST_PREFIX))
  )
}

/** Boots the browser side: decodes the inline data, loads the route's modules, hydrates, then routes client-side. */
export async function startClient(routes: ClientOptions): Promise<void> {
  const boot = globalThis[BOOT_GLOBAL]
  if (!boot) {
    throw new Error(
      `Pareto's boot data (${BOOT_GLOBAL}) is missing: the page was not rendered by a Pareto server, or an inline script was blocked (check your Content-Security-Policy nonce).`,
    )
  }
  const r = boot.r
  const target: ViewTarget =
    r.kind === 'page'
      ? { kind: 'page', id: r.id! }
      : r.kind === 'not-found'
        ? { kind: 'not-found' }
        : { kind: 'error', error: r.error ?? { name: 'Error', message: 'Unknown error' }, bare: r.bare }
  // While a deploy rolls, an instance of another build may answer for this page's modules: the page then stays as
  // the server rendered it (its links and forms work without JavaScript).
  const view = loadView(routes, target).catch((error: unknown) =>
    console.warn('[pareto] the modules of this page could not be loaded, so it is not interactive:', error),
  )
  const [page, loaded] = await Promise.all([decodeFrames<PageData>(queueToStream(boot.f)), view])
  if (!loaded) return
  const { Root } = createRouter(routes, makeEntry(loaded, { ...r, hash: location.hash }, page.data ?? {}, page.action))
  // React listens from here on; the clicks recorded before it are replayed once the page has hydrated.
  const clicks = boot.c ?? []
  boot.c = null
  // Most pages have no such click: the replay is a chunk of its own, loaded only when one was made.
  const replay = () => void (clicks.length && import('./replay.js').then((m) => m.replayClicks(clicks)))
  hydrateRoot(document, <Root onHydrated={replay} />, {
    onRecoverableError(error, info) {
      // The server logged these and marked their boundaries; the browser rendering that part again is by design.
      if (isServerMarked(error) || isServerMarked((error as { cause?: unknown })?.cause)) {
        if (import.meta.env.DEV)
          console.warn('[pareto] a part of the page that failed on the server is rendered again in the browser:', error)
        return
      }
      console.error(error, info.componentStack ?? '')
    },
    onCaughtError(error, info) {
      const boundary = (info as { errorBoundary?: { props?: { root?: boolean } } }).errorBoundary
      const byApp = !!boundary && !boundary.props?.root
      // Dev only (left out of production builds): an error page in place of the page gets its source in the overlay.
      if (import.meta.env.DEV && !byApp) void import('./dev-errors.js').then((m) => m.devErrorCaught(error))
      // Deferred data that rejected is shown by its boundary; it is the app's expected path, not a crash.
      if ((error as { digest?: unknown })?.digest !== undefined) {
        if (import.meta.env.DEV) console.warn('[pareto] deferred data rejected and was caught by a boundary:', error)
        return
      }
      // An app's own ParetoErrorBoundary handled it (its fallback shows, onError reports): a warning, not an error.
      if (byApp)
        return void console.warn(
          '[pareto] an error was caught by a ParetoErrorBoundary:',
          error,
          info.componentStack ?? '',
        )
      console.error(error, info.componentStack ?? '')
    },
  })
}
