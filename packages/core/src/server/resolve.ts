import { guardDeferred } from '../data/deferred.js'
import { errorStatus, toPublicError } from '../data/errors.js'
import type { PublicError } from '../data/errors.js'
import type { HtmlAttributes } from '../render/app.js'
import type { RouteData } from '../render/context.js'
import { viewFiles } from '../routes/view-files.js'
import { act, actionOf } from './act.js'
import { pageSlots, runLoaders, viewSlots } from './load.js'
import type { Loaded } from './load.js'
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
      /** Each route file's loader data (deferred promises guarded); undefined when no loader ran (the router keeps its data). */
      data: RouteData | undefined
      /** What the page's action returned, when the request was a submission. */
      action?: unknown
      status: number
      htmlAttrs: HtmlAttributes
      /** Holds the first flush for deferred values that come fast; absent when nothing is deferred. */
      gate?: ShellGate
    }
  /** `data` holds the layouts' data the view needs (the root layout's), when its loader ran. */
  | { kind: 'not-found'; status: 404; htmlAttrs: HtmlAttributes; data?: RouteData }
  | { kind: 'redirect'; location: string; status: number }
  | {
      kind: 'error'
      error: PublicError
      status: number
      routeId: string | null
      htmlAttrs: HtmlAttributes
      data?: RouteData
    }
  /** A loader or action returned or threw a web `Response`. */
  | { kind: 'response'; response: Response }
  /** The request's body was refused (too large, malformed) before the action ran. */
  | { kind: 'refused'; status: number; message: string }
  /** The loader answered the request itself (`ctx.res.end()`), or the client left. */
  | { kind: 'answered' }

const NO_ATTRS: HtmlAttributes = Object.freeze({}) as HtmlAttributes

/**
 * The page pipeline after match: act (a submission runs the page's action first), then load (every loader of
 * the page at once: its layouts' and its own), into a resolved page with its status and `<html>` attributes.
 * A value at once when the loaders answer at once (a promise costs a turn per request), else a promise of it.
 */
export function resolvePage(r: PageRequest): ResolvedPage | Promise<ResolvedPage> {
  const { route } = r
  if (!route) return statusView(r, { kind: 'not-found', status: 404, htmlAttrs: NO_ATTRS })
  if (r.acting) {
    const action = actionOf(r.env.build.modules, route)
    if (action) return submitted(r, route, action)
  }
  return loadPage(r, route, r.keep)
}

/** The act step, then the loaders: all of them after a success, none the router has after a refusal (4xx/5xx). */
function submitted(
  r: PageRequest,
  route: RouteEntry,
  action: NonNullable<ReturnType<typeof actionOf>>,
): Promise<ResolvedPage> {
  const stopWatching = abortOnClientGone(r.res, r.cancel)
  return act(r, action).then((acted): ResolvedPage | Promise<ResolvedPage> => {
    stopWatching()
    if (r.res.writableEnded || r.res.headersSent || r.res.destroyed) return { kind: 'answered' }
    switch (acted.kind) {
      case 'data': {
        const outcome = { data: acted.data }
        if (!r.revalidate)
          return {
            kind: 'page',
            route,
            params: r.params,
            data: undefined,
            action: acted.data,
            status: acted.status,
            htmlAttrs: NO_ATTRS,
          }
        // A document always shows the whole page; the router has the page's data when the action was refused.
        const keep = r.navigation && acted.status >= 400 ? r.keep : undefined
        return loadPage(r, route, keep, outcome)
      }
      case 'refused':
      case 'redirect':
        return acted
      case 'response':
        return { kind: 'response', response: acted.response }
      case 'not-found':
        return statusView(r, { kind: 'not-found', status: 404, htmlAttrs: NO_ATTRS })
      case 'error':
        return statusView(
          r,
          failed(
            r,
            acted.error,
            `action of ${r.shown(route.loaderFile ?? route.file)} failed for ${r.where}`,
            route.id,
          ),
        )
    }
  })
}

/** The load step for a page route, skipping the route files in `skip`; `acted` carries an action's result along. */
function loadPage(
  r: PageRequest,
  route: RouteEntry,
  skip: ReadonlySet<string> | undefined,
  acted?: { data: unknown },
): ResolvedPage | Promise<ResolvedPage> {
  const loaded = runLoaders(r, pageSlots(r.env, route), skip)
  if (!isThenable(loaded)) return withAttrs(r, classify(r, route, loaded, acted))
  // Only a loader still at work can see its client leave.
  const stopWatching = abortOnClientGone(r.res, r.cancel)
  return loaded.then((settled) => {
    stopWatching()
    return withAttrs(r, classify(r, route, settled, acted))
  })
}

function classify(r: PageRequest, route: RouteEntry, loaded: Loaded, acted?: { data: unknown }): ResolvedPage {
  if (r.res.writableEnded || r.res.headersSent || r.res.destroyed) return { kind: 'answered' }
  const { stop } = loaded
  if (stop) {
    const data = guard(r, loaded.data, route.file)
    switch (stop.kind) {
      case 'redirect':
        return { kind: 'redirect', location: stop.location, status: stop.status }
      case 'response':
        return { kind: 'response', response: stop.response }
      case 'not-found':
        return { kind: 'not-found', status: 404, htmlAttrs: NO_ATTRS, data }
      case 'error':
        return { ...failed(r, stop.error, `loader of ${r.shown(stop.file)} failed for ${r.where}`, route.id), data }
    }
  }
  const guarded = guardDeferred(
    loaded.data,
    r.cancel,
    publicRejection(r, route.file),
    shellGateFor(route, r.env.build.config.shellBudget),
  )
  const page: ResolvedPage = {
    kind: 'page',
    route,
    params: r.params,
    data: guarded.data,
    status: r.res.statusCode || 200,
    htmlAttrs: NO_ATTRS,
    gate: guarded.watch,
  }
  if (acted) page.action = acted.data
  return page
}

/** What a deferred promise of a page's data rejects with in the browser: a public error, logged once. */
function publicRejection(r: PageRequest, file: string): (e: unknown) => unknown {
  const shown = r.shown(file)
  return (e) =>
    e instanceof RequestEnded
      ? e
      : new WireError(toPublicError(e, r.env.dev, `deferred data of ${shown} rejected for ${r.where}`))
}

/** Layout data for a status view, its promises guarded like a page's. */
function guard(r: PageRequest, data: RouteData, file: string): RouteData | undefined {
  for (const _ in data) return guardDeferred(data, r.cancel, publicRejection(r, file)).data
  return undefined
}

/** A not-found or error view with its layouts' data: the root layout's loader runs for it. */
function statusView(
  r: PageRequest,
  page: Extract<ResolvedPage, { kind: 'not-found' | 'error' }>,
): ResolvedPage | Promise<ResolvedPage> {
  const slots = viewSlots(r.env, viewFiles(r.env.build.table, { kind: page.kind }))
  if (slots.length === 0) return withAttrs(r, page)
  const finish = (loaded: Loaded): ResolvedPage | Promise<ResolvedPage> => {
    if (r.res.writableEnded || r.res.headersSent || r.res.destroyed) return { kind: 'answered' }
    const { stop } = loaded
    // The root layout's own redirect or failure wins: it would fail again around the status page.
    if (stop?.kind === 'redirect') return { kind: 'redirect', location: stop.location, status: stop.status }
    if (stop?.kind === 'response') return { kind: 'response', response: stop.response }
    if (stop?.kind === 'error' && page.kind === 'not-found')
      return withAttrs(r, failed(r, stop.error, `loader of ${r.shown(stop.file)} failed for ${r.where}`, null))
    return withAttrs(r, { ...page, data: guard(r, loaded.data, slots[0].file) })
  }
  // The router keeps the layouts it has (a refused or failed enhanced submission stays on its page).
  const loaded = runLoaders(r, slots, r.navigation ? r.keep : undefined)
  return isThenable(loaded) ? loaded.then(finish) : finish(loaded)
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
  if (!r.env.build.table.document) return page
  if (page.kind !== 'page' && page.kind !== 'not-found' && page.kind !== 'error') return page
  const params = page.kind === 'page' ? page.params : {}
  const data = page.kind === 'page' ? page.data?.[page.route.file] : undefined
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
