import { hydrateRoot } from 'react-dom/client'
import { documentHead } from '../render/head.js'
import { decodeFrames, queueToStream } from '../wire/decode.js'
import { BOOT_GLOBAL } from '../wire/global.js'
import { DEFERRED_DIGEST_PREFIX } from '../wire/digest.js'
import { createRouter } from './router.js'
import { loadView } from './view.js'
import type { ClientRoutes, ViewTarget } from './view.js'

/** What the generated client entry passes: the page routes and a lazy import per route file. */
export type ClientOptions = ClientRoutes

function isDeferredError(error: unknown): boolean {
  const digest = (error as { digest?: unknown })?.digest
  return typeof digest === 'string' && digest.startsWith(DEFERRED_DIGEST_PREFIX)
}

/** Boots the browser side: decodes the inline data, loads the route's modules, hydrates, then routes client-side. */
export async function startClient(routes: ClientOptions): Promise<void> {
  const boot = globalThis[BOOT_GLOBAL]
  if (!boot) {
    throw new Error(`Pareto's boot data (${BOOT_GLOBAL}) is missing: the page was not rendered by a Pareto server, or an inline script was blocked (check your Content-Security-Policy nonce).`)
  }
  const r = boot.r
  const target: ViewTarget =
    r.kind === 'page' ? { kind: 'page', id: r.id! } : r.kind === 'not-found' ? { kind: 'not-found' } : { kind: 'error', error: r.error ?? { name: 'Error', message: 'Unknown error' } }
  const [loaderData, { view, heads, errorPage }] = await Promise.all([decodeFrames(queueToStream(boot.f)), loadView(routes, target)])
  const { Root } = createRouter(routes, {
    url: r.pathname + r.search + location.hash,
    props: {
      state: { pathname: r.pathname, search: r.search, params: r.params, loaderData },
      view,
      headTags: documentHead(heads, { loaderData, params: r.params }),
      htmlAttrs: r.htmlAttrs,
      errorPage,
      flushHint: r.flushHint,
    },
  })
  hydrateRoot(document, <Root />, {
    onRecoverableError(error, info) {
      // A deferred promise that rejected on the server already reached its boundary here; that is by design.
      if (isDeferredError(error) || isDeferredError((error as { cause?: unknown })?.cause)) return
      console.error(error, info.componentStack ?? '')
    },
    onCaughtError(error, info) {
      // Deferred data that rejected is shown by its boundary; it is the app's expected path, not a crash.
      if ((error as { digest?: unknown })?.digest !== undefined) {
        if (r.dev) console.warn('[pareto] deferred data rejected and was caught by a boundary:', error)
        return
      }
      console.error(error, info.componentStack ?? '')
    },
  })
}
