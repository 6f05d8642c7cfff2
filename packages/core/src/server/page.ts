import { createElement } from 'react'
import type { ComponentType, ReactNode } from 'react'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ParetoApp } from '../render/app.js'
import type { AppProps, HtmlAttributes, RouteAssets, View } from '../render/app.js'
import type { Navigator } from '../render/context.js'
import { documentHead } from '../render/head.js'
import { BuiltinError, BuiltinNotFound } from '../render/builtin.js'
import type { HeadComponent } from '../render/head.js'
import { errorStatus, toPublicError } from '../data/errors.js'
import { encodeFrames } from '../wire/encode.js'
import type { BootRoute, WireErrorShape } from '../wire/global.js'
import type { Params, RouteEntry } from '../routes/types.js'
import { sendDocument, ShellError } from './document.js'
import { documentProps, loadPage, shown } from './load-page.js'
import { splitTarget } from './url.js'
import { isThenable } from '../wire/walk.js'
import { Cut } from './cut.js'
import type { PageEnv, PageLoad } from './load-page.js'

export type { PageEnv } from './load-page.js'

const serverNavigator: Navigator = {
  isNavigating: false,
  navigate() {
    throw new Error('push()/replace() cannot navigate during server rendering. Call them from an event handler or an effect.')
  },
  back() {},
  prefetch() {},
}

function component<P>(env: PageEnv, file: string): ComponentType<P> {
  const value = env.build.modules[file]?.default
  if (typeof value !== 'function' && !(typeof value === 'object' && value !== null)) {
    throw new Error(`${shown(env, file)}: the default export must be a React component (a function returning JSX); found ${value === undefined ? 'no default export' : typeof value}.`)
  }
  return value as ComponentType<P>
}

function heads(env: PageEnv, files: string[]): { component: HeadComponent; file: string }[] {
  return files.map((file) => ({ component: component(env, file) as unknown as HeadComponent, file: shown(env, file) }))
}

/** A loaded page turned into what the document shows. */
interface DocumentPlan {
  view: View
  heads: { component: HeadComponent; file: string }[]
  /** The scripts and styles of the files shown, hinted in the head. */
  assets?: RouteAssets
  data: unknown
  params: Params
  routeId: string | null
  status: number
  error?: WireErrorShape
  /** The error page is shown without the root layout, which failed itself. */
  bare?: boolean
}

/** The part of a page's plan fixed by its route: looked up once per route and build, not on every request. */
type RoutePlan = Pick<DocumentPlan, 'view' | 'heads' | 'assets'>
const routePlans = new WeakMap<RouteEntry, { build: PageEnv['build']; plan: RoutePlan }>()

function routePlan(env: PageEnv, route: RouteEntry): RoutePlan {
  const cached = routePlans.get(route)
  if (cached?.build === env.build) return cached.plan
  const plan: RoutePlan = {
    view: { kind: 'page', layouts: route.layouts.map((f) => component<{ children?: ReactNode }>(env, f)), page: component(env, route.file) },
    heads: heads(env, route.heads),
    assets: env.assets?.forFiles([...route.layouts, route.file, ...route.heads]),
  }
  routePlans.set(route, { build: env.build, plan })
  return plan
}

function pagePlan(env: PageEnv, load: Extract<PageLoad, { kind: 'page' }>): DocumentPlan {
  const { view, heads, assets } = routePlan(env, load.route)
  // Fields named one by one, not spread from the cached plan: with the spread, V8 kept these per-request
  // objects (and the loader data they hold) past two scavenges, ~0.6 KB promoted per static request and a
  // mark-compact every few seconds under load; listed out, nothing is promoted (bench/NOTES.md, fifth pass).
  return { view, heads, assets, data: load.data, params: load.params, routeId: load.route.id, status: load.status }
}

function notFoundPlan(env: PageEnv): DocumentPlan {
  const { table } = env.build
  const layouts = table.rootLayout ? [component<{ children?: ReactNode }>(env, table.rootLayout)] : []
  const page = table.notFound ? component(env, table.notFound) : BuiltinNotFound
  const files = [table.rootLayout, table.notFound, table.rootHead].filter((f): f is string => !!f)
  return { view: { kind: 'not-found', layouts, page }, heads: heads(env, table.rootHead ? [table.rootHead] : []), assets: env.assets?.forFiles(files), data: undefined, params: {}, routeId: null, status: 404 }
}

/** The error page, inside the root layout with the root head unless `bare` (the layout or head itself failed). */
function errorPlan(env: PageEnv, shape: WireErrorShape, status: number, routeId: string | null, bare: boolean): DocumentPlan {
  const { table } = env.build
  const page = table.error ? component<{ error: Error }>(env, table.error) : BuiltinError
  const layout = bare ? undefined : table.rootLayout
  const head = bare ? undefined : table.rootHead
  return {
    view: { kind: 'error', layouts: layout ? [component<{ children?: ReactNode }>(env, layout)] : [], page, error: Object.assign(new Error(shape.message), shape) },
    heads: heads(env, head ? [head] : []),
    assets: env.assets?.forFiles([layout, table.error, head].filter((f): f is string => !!f)),
    data: undefined,
    params: {},
    routeId,
    status,
    error: shape,
    bare: bare && !!table.rootLayout,
  }
}

/** Renders a plan and streams it; resolves once the shell is sent (see sendDocument). */
function stream(env: PageEnv, req: IncomingMessage, res: ServerResponse, plan: DocumentPlan, cut: Cut): Promise<void> {
  // Most apps have no document.tsx: no wait then, which would cost a promise and a turn per request.
  if (!env.build.table.document) return send(env, req, res, plan, cut, {})
  const { pathname } = splitTarget(req.url ?? '/')
  return documentProps(env, req, plan.params, pathname, plan.data).then((htmlAttrs) => send(env, req, res, plan, cut, htmlAttrs))
}

function send(env: PageEnv, req: IncomingMessage, res: ServerResponse, plan: DocumentPlan, cut: Cut, htmlAttrs: HtmlAttributes): Promise<void> {
  const { pathname, search } = splitTarget(req.url ?? '/')
  const boot: BootRoute = { id: plan.routeId, kind: plan.view.kind, pathname, search, params: plan.params, htmlAttrs, error: plan.error }
  if (plan.bare) boot.bare = true
  if (env.dev) boot.dev = true
  const flushHint = env.build.config.wkWebViewFlushHint
  if (flushHint) boot.flushHint = true
  // A Content-Security-Policy nonce set by the app's middleware goes on every script Pareto or React writes.
  const given = (res as { locals?: { cspNonce?: unknown } }).locals?.cspNonce
  const nonce = typeof given === 'string' && given ? given : undefined
  const props: AppProps = {
    state: { pathname, search, params: plan.params, loaderData: plan.data },
    view: plan.view,
    headTags: documentHead(plan.heads, { loaderData: plan.data, params: plan.params }),
    htmlAttrs,
    navigator: serverNavigator,
    assets: plan.assets,
    nonce,
    errorPage: env.build.table.error ? component<{ error: Error }>(env, env.build.table.error) : BuiltinError,
    flushHint,
  }
  return sendDocument({
    req,
    res,
    element: createElement(ParetoApp, props),
    boot,
    // Not tied to `cut`: after a timeout the encoder must still send each promise's rejection.
    frames: encodeFrames(plan.data),
    status: plan.status,
    bootstrapModules: env.bootstrapModules,
    nonce,
    cut,
    streamTimeout: env.build.config.streamTimeout,
    where: `${req.method} ${req.url}`,
  })
}

/**
 * Sends the error document inside the root layout; if that fails, without it (the layout or root head may be
 * what failed); if even that fails, a plain-text 500, so the response always ends.
 */
async function sendError(env: PageEnv, req: IncomingMessage, res: ServerResponse, error: unknown, where: string, routeId: string | null): Promise<void> {
  const shape = toPublicError(error, env.dev, where)
  const status = errorStatus(error)
  try {
    await stream(env, req, res, errorPlan(env, shape, status, routeId, false), new Cut())
    return
  } catch (first) {
    // Often the root layout or head failing again; the bare page below gets its own chance.
    if (env.dev) console.warn(`[pareto] the error page could not render inside the root layout for ${req.method} ${req.url}, so it is shown alone:`, first instanceof ShellError ? first.original : first)
  }
  if (res.headersSent) return void res.end()
  try {
    await stream(env, req, res, errorPlan(env, shape, status, routeId, true), new Cut())
  } catch (second) {
    const inner = second instanceof ShellError ? second.original : second
    console.error(`[pareto] the error page itself failed to render for ${req.method} ${req.url}:`, inner)
    if (!res.headersSent) {
      res.statusCode = 500
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end('Internal Server Error')
    } else res.end()
  }
}

/** Answers a document request for a page route (or the not-found page when `route` is null): load → render → stream. */
export function handlePage(env: PageEnv, req: IncomingMessage, res: ServerResponse, route: RouteEntry | null, params: Params): Promise<void> | void {
  const cut = new Cut()
  const failed = (error: unknown) =>
    sendError(env, req, res, error instanceof ShellError ? error.original : error, `rendering ${req.method} ${req.url} failed`, route?.id ?? null)
  // Synchronous as long as the loader is: a page whose loader answers at once (plain data or defer())
  // reaches React in the same turn, with no promise made on the way but sendDocument's own.
  try {
    const load = loadPage(env, req, res, route, params, cut)
    const sent = isThenable(load) ? load.then((settled) => answer(env, req, res, settled, cut)) : answer(env, req, res, load, cut)
    return sent?.then(undefined, failed)
  } catch (error) {
    return failed(error)
  }
}

/** What a page load turns into: nothing more, a redirect, the error page, or a streamed document. */
function answer(env: PageEnv, req: IncomingMessage, res: ServerResponse, load: PageLoad, cut: Cut): Promise<void> | void {
  switch (load.kind) {
    case 'done':
      return
    case 'redirect':
      res.statusCode = load.status
      res.setHeader('location', load.location)
      return void res.end()
    case 'error':
      return sendError(env, req, res, load.error, load.where, load.routeId)
    case 'not-found':
      return stream(env, req, res, notFoundPlan(env), cut)
    case 'page':
      return stream(env, req, res, pagePlan(env, load), cut)
  }
}
