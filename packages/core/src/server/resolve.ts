import { guardDeferred } from '../data/deferred.js'
import { errorStatus, toPublicError } from '../data/errors.js'
import type { PublicError } from '../data/errors.js'
import { RequestContext, runLoader } from '../data/loader.js'
import type { LoadOutcome } from '../data/loader.js'
import type { LoaderContext } from '../data/types.js'
import type { HtmlAttributes } from '../render/app.js'
import type { Params, RouteEntry } from '../routes/types.js'
import { WireError } from '../wire/error.js'
import { isThenable } from '../shared/thenable.js'
import { abortOnClientGone, RequestEnded } from './cancel.js'
import type { PageRequest } from './request.js'
import { shellGateFor } from './shell-budget.js'
import type { ShellGate } from './shell-budget.js'
import { splitTarget } from './url.js'

/** What a page request comes to, before it is sent as an HTML document or as navigation frames. */
export type ResolvedPage =
  | {
      kind: 'page'
      route: RouteEntry
      params: Params
      data: unknown
      status: number
      htmlAttrs: HtmlAttributes
      /** Holds the first flush for deferred values that come fast; absent when nothing is deferred. */
      gate?: ShellGate
    }
  | { kind: 'not-found'; status: 404; htmlAttrs: HtmlAttributes }
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'error'; error: PublicError; status: number; routeId: string | null; htmlAttrs: HtmlAttributes }
  /** The loader answered the request itself (`ctx.res.end()`), or the client left. */
  | { kind: 'answered' }

const NO_ATTRS: HtmlAttributes = Object.freeze({}) as HtmlAttributes

/**
 * Runs the route's loader and turns the request into a resolved page: data (deferred promises guarded by
 * the request's cancel), not-found, redirect or error, with its status and `<html>` attributes. A value at
 * once when the loader answers at once (a promise costs a turn per request), else a promise of it.
 */
export function resolvePage(r: PageRequest): ResolvedPage | Promise<ResolvedPage> {
  const { route } = r
  if (!route) return withAttrs(r, { kind: 'not-found', status: 404, htmlAttrs: NO_ATTRS })
  const loaderFile = route.loaderFile ?? route.file
  const loader = r.env.build.modules[loaderFile]?.loader as ((ctx: LoaderContext) => unknown) | undefined
  const outcome = runLoader(loader, new RequestContext(r.req, r.res, r.params, r.cancel), r.shown(loaderFile))
  if (!isThenable(outcome)) return withAttrs(r, classify(r, route, loaderFile, outcome))
  // Only a loader still at work can see its client leave.
  const stopWatching = abortOnClientGone(r.res, r.cancel)
  return outcome.then((settled) => {
    stopWatching()
    return withAttrs(r, classify(r, route, loaderFile, settled))
  })
}

function classify(r: PageRequest, route: RouteEntry, loaderFile: string, outcome: LoadOutcome): ResolvedPage {
  if (r.res.writableEnded || r.res.destroyed) return { kind: 'answered' }
  switch (outcome.kind) {
    case 'redirect':
      return outcome
    case 'not-found':
      return { kind: 'not-found', status: 404, htmlAttrs: NO_ATTRS }
    case 'error':
      return failed(r, outcome.error, `loader of ${r.shown(loaderFile)} failed for ${r.where}`, route.id)
    case 'data': {
      const file = r.shown(loaderFile)
      const guarded = guardDeferred(
        outcome.data,
        r.cancel,
        (e) =>
          e instanceof RequestEnded
            ? e
            : new WireError(toPublicError(e, r.env.dev, `deferred data of ${file} rejected for ${r.where}`)),
        shellGateFor(route, r.env.build.config.shellBudget),
      )
      return {
        kind: 'page',
        route,
        params: r.params,
        data: guarded.data,
        status: r.res.statusCode || 200,
        htmlAttrs: NO_ATTRS,
        gate: guarded.watch,
      }
    }
  }
}

/** The error outcome, logged once with its digest; what the browser may see of it depends on the mode. */
export function failed(
  r: PageRequest,
  error: unknown,
  where: string,
  routeId: string | null,
): Extract<ResolvedPage, { kind: 'error' }> {
  return {
    kind: 'error',
    error: toPublicError(error, r.env.dev, where),
    status: errorStatus(error),
    routeId,
    htmlAttrs: NO_ATTRS,
  }
}

/**
 * Adds `document.tsx`'s attributes for `<html>`. Most apps have none: no wait then. A failing
 * getDocumentProps turns a page into the error page, whose own attributes are left empty.
 */
function withAttrs(r: PageRequest, page: ResolvedPage): ResolvedPage | Promise<ResolvedPage> {
  if (!r.env.build.table.document || page.kind === 'answered' || page.kind === 'redirect') return page
  const params = page.kind === 'page' ? page.params : {}
  const data = page.kind === 'page' ? page.data : undefined
  return documentProps(r, params, data).then(
    (htmlAttrs) => ({ ...page, htmlAttrs }),
    (error: unknown) =>
      page.kind === 'error' ? page : failed(r, error, `getDocumentProps failed for ${r.where}`, r.route?.id ?? null),
  )
}

/** Runs `document.tsx`'s getDocumentProps for a request. */
async function documentProps(r: PageRequest, params: Params, loaderData: unknown): Promise<HtmlAttributes> {
  const file = r.env.build.table.document!
  const fn = r.env.build.modules[file]?.getDocumentProps as ((ctx: unknown) => unknown) | undefined
  if (typeof fn !== 'function') {
    throw new Error(
      `${r.shown(file)}: export a function named getDocumentProps that returns attributes for <html>, e.g. export const getDocumentProps = () => ({ lang: 'en' }).`,
    )
  }
  const attrs = await fn({ req: r.req, params, pathname: splitTarget(r.req.url).pathname, loaderData })
  if (attrs == null) return {}
  if (typeof attrs !== 'object')
    throw new Error(
      `${r.shown(file)}: getDocumentProps must return an object of attributes; it returned ${typeof attrs}.`,
    )
  const out: HtmlAttributes = {}
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) out[k] = String(v)
  return out
}
