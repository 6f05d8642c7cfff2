import type { IncomingMessage, ServerResponse } from 'node:http'
import { RequestContext, runLoader } from '../data/loader.js'
import type { LoadOutcome } from '../data/loader.js'
import { isThenable } from '../wire/walk.js'
import { guardDeferred, RequestEnded } from '../data/deferred.js'
import { toPublicError } from '../data/errors.js'
import type { LoaderContext } from '../data/types.js'
import type { HtmlAttributes } from '../render/app.js'
import { WireError } from '../wire/error.js'
import type { Params, RouteEntry } from '../routes/types.js'
import type { ServerBuild } from './build-types.js'
import type { AssetResolver } from './assets.js'
import type { Cut } from './cut.js'

/** What the page paths (document and navigation) need besides the request: the build, assets, the mode. */
export interface PageEnv {
  build: ServerBuild
  assets?: AssetResolver
  bootstrapModules: string[]
  dev: boolean
}

/** What loading a page came to, before anything is rendered or encoded. */
export type PageLoad =
  | { kind: 'page'; route: RouteEntry; params: Params; data: unknown; status: number }
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'not-found' }
  | { kind: 'error'; error: unknown; where: string; routeId: string | null }
  /** The loader answered the request itself (e.g. `ctx.res.end()`), or the client left. */
  | { kind: 'done' }

/** The app-relative name of a route file, as error messages show it. */
export function shown(env: PageEnv, file: string): string {
  return `${env.build.config.appDir}/${file}`
}

/**
 * Runs the route's loader with `{ req, res, params, signal }` and guards its deferred data with `cut`
 * (stream timeout, client gone). Shared by document requests and navigation data requests. Returns the
 * load at once when the loader answered at once, else a promise of it.
 */
export function loadPage(env: PageEnv, req: IncomingMessage, res: ServerResponse, route: RouteEntry | null, params: Params, cut: Cut): PageLoad | Promise<PageLoad> {
  if (!route) return { kind: 'not-found' }
  const loaderFile = route.loaderFile ?? route.file
  const loader = env.build.modules[loaderFile]?.loader as ((ctx: LoaderContext) => unknown) | undefined
  const file = shown(env, loaderFile)
  // `signal` is made only if the loader reads it (Cut makes it on first read).
  const ctx = new RequestContext(req, res, params, cut)
  const outcome = runLoader(loader, ctx, file)
  if (!isThenable(outcome)) return classify(env, req, res, route, params, cut, file, outcome)
  // Only a loader still at work can see its client leave.
  const onClose = () => !res.writableFinished && cut.abort(new RequestEnded('client disconnected'))
  res.once('close', onClose)
  return outcome.then((settled) => {
    res.off('close', onClose)
    return classify(env, req, res, route, params, cut, file, settled)
  })
}

/** What a loader's outcome means for the page; `file` is the loader's file as error messages name it. */
function classify(env: PageEnv, req: IncomingMessage, res: ServerResponse, route: RouteEntry, params: Params, cut: Cut, file: string, outcome: LoadOutcome): PageLoad {
  if (res.writableEnded || res.destroyed) return { kind: 'done' }
  switch (outcome.type) {
    case 'redirect':
      return { kind: 'redirect', location: outcome.location, status: outcome.status }
    case 'not-found':
      return { kind: 'not-found' }
    case 'error':
      return { kind: 'error', error: outcome.error, where: `loader of ${file} failed for ${req.method} ${req.url}`, routeId: route.id }
    case 'data': {
      const guarded = guardDeferred(outcome.data, cut, (e) =>
        e instanceof RequestEnded ? e : new WireError(toPublicError(e, env.dev, `deferred data of ${file} rejected for ${req.method} ${req.url}`)),
      )
      return { kind: 'page', route, params, data: guarded.data, status: res.statusCode || 200 }
    }
  }
}

/** Runs `document.tsx`'s getDocumentProps for a request; `{}` when the app has none. */
export async function documentProps(env: PageEnv, req: IncomingMessage, params: Params, pathname: string, loaderData: unknown): Promise<HtmlAttributes> {
  const file = env.build.table.document
  if (!file) return {}
  const fn = env.build.modules[file]?.getDocumentProps as ((ctx: unknown) => unknown) | undefined
  if (typeof fn !== 'function') {
    throw new Error(`${shown(env, file)}: export a function named getDocumentProps that returns attributes for <html>, e.g. export const getDocumentProps = () => ({ lang: 'en' }).`)
  }
  const attrs = await fn({ req, params, pathname, loaderData })
  if (attrs == null) return {}
  if (typeof attrs !== 'object') throw new Error(`${shown(env, file)}: getDocumentProps must return an object of attributes; it returned ${typeof attrs}.`)
  const out: HtmlAttributes = {}
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) out[k] = String(v)
  return out
}
