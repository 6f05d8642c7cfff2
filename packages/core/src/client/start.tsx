import { hydrateRoot } from 'react-dom/client'
import type { ComponentType, ReactNode } from 'react'
import { ParetoApp } from '../render/app.js'
import type { AppProps, View } from '../render/app.js'
import { mergeHead } from '../render/head.js'
import type { HeadComponent } from '../render/head.js'
import type { ShownError } from '../render/error-boundary.js'
import type { RouteTable } from '../routes/types.js'
import { decodeFrames, queueToStream } from '../wire/decode.js'
import { errorFromWire } from '../wire/error.js'
import { BOOT_GLOBAL } from '../wire/global.js'
import { DEFERRED_DIGEST_PREFIX } from '../wire/digest.js'
import { documentNavigator } from './navigator.js'

type ModuleLoader = () => Promise<Record<string, unknown>>

/** What the generated client entry passes: the page routes and a lazy import per route file. */
export interface ClientOptions {
  table: RouteTable
  load: Record<string, ModuleLoader>
}

async function loadDefaults(load: Record<string, ModuleLoader>, files: (string | undefined)[]): Promise<unknown[]> {
  return Promise.all(files.map((f) => (f ? load[f]().then((m) => m.default) : undefined)))
}

function isDeferredError(error: unknown): boolean {
  const digest = (error as { digest?: unknown })?.digest
  return typeof digest === 'string' && digest.startsWith(DEFERRED_DIGEST_PREFIX)
}

/** Boots the browser side: decodes the inline data, loads the route's modules, and hydrates the document. */
export async function startClient({ table, load }: ClientOptions): Promise<void> {
  const boot = globalThis[BOOT_GLOBAL]
  if (!boot) {
    throw new Error(`Pareto's boot data (${BOOT_GLOBAL}) is missing: the page was not rendered by a Pareto server, or an inline script was blocked (check your Content-Security-Policy nonce).`)
  }
  const r = boot.r
  const data = decodeFrames(queueToStream(boot.f))
  let view: View
  let headFiles: string[]
  if (r.kind === 'page') {
    const route = table.routes.find((x) => x.id === r.id)
    if (!route) throw new Error(`The server rendered route ${r.id}, which this client build does not know. Reload the page; if it persists, rebuild the app.`)
    const [page, ...layouts] = await loadDefaults(load, [route.file, ...route.layouts])
    view = { kind: 'page', page: page as ComponentType, layouts: layouts as ComponentType<{ children?: ReactNode }>[] }
    headFiles = route.heads
  } else if (r.kind === 'not-found') {
    const [page, layout] = await loadDefaults(load, [table.notFound, table.rootLayout])
    view = { kind: 'not-found', page: page as ComponentType | undefined, layouts: layout ? [layout as ComponentType<{ children?: ReactNode }>] : [] }
    headFiles = table.rootHead ? [table.rootHead] : []
  } else {
    const [page] = await loadDefaults(load, [table.error])
    view = { kind: 'error', page: page as ComponentType<{ error: ShownError }> | undefined, error: errorFromWire(r.error ?? { name: 'Error', message: 'Unknown error' }) }
    headFiles = []
  }
  const headComponents = (await loadDefaults(load, headFiles)) as HeadComponent[]
  const loaderData = await data
  const props: AppProps = {
    state: { pathname: r.pathname, search: r.search, params: r.params, loaderData },
    view,
    headTags: mergeHead(
      headComponents.map((component, i) => ({ component, file: headFiles[i] })),
      { loaderData, params: r.params },
    ),
    htmlAttrs: r.htmlAttrs,
    navigator: documentNavigator,
  }
  hydrateRoot(document, <ParetoApp {...props} />, {
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
