import { createElement } from 'react'
import type { ComponentType, ReactNode } from 'react'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ParetoApp } from '../render/app.js'
import type { AppProps, HtmlAttributes, View } from '../render/app.js'
import type { Navigator } from '../render/context.js'
import { mergeHead } from '../render/head.js'
import type { HeadComponent } from '../render/head.js'
import { runLoader } from '../data/loader.js'
import { guardDeferred, RequestEnded } from '../data/deferred.js'
import { toPublicError } from '../data/errors.js'
import type { LoaderContext } from '../data/types.js'
import { encodeFrames } from '../wire/encode.js'
import { WireError } from '../wire/error.js'
import type { BootRoute, WireErrorShape } from '../wire/global.js'
import type { Params, RouteEntry } from '../routes/types.js'
import type { ServerBuild } from './build-types.js'
import { sendDocument, ShellError } from './document.js'
import type { AssetResolver } from './assets.js'

/** What the page path needs besides the request: the build, how to find assets, and the mode. */
export interface PageEnv {
  build: ServerBuild
  assets?: AssetResolver
  bootstrapModules: string[]
  dev: boolean
}

const serverNavigator: Navigator = {
  isNavigating: false,
  navigate() {
    throw new Error('push()/replace() cannot navigate during server rendering. Call them from an event handler or an effect.')
  },
  back() {},
  prefetch() {},
}

function shown(env: PageEnv, file: string): string {
  return `${env.build.config.appDir}/${file}`
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

function splitUrl(url: string): { pathname: string; search: string } {
  const q = url.indexOf('?')
  return q === -1 ? { pathname: url, search: '' } : { pathname: url.slice(0, q), search: url.slice(q) }
}

interface DocumentPlan {
  view: View
  heads: { component: HeadComponent; file: string }[]
  files: string[]
  data: unknown
  params: Params
  routeId: string | null
  status: number
  error?: WireErrorShape
}

async function documentProps(env: PageEnv, req: IncomingMessage, plan: DocumentPlan, pathname: string): Promise<HtmlAttributes> {
  const file = env.build.table.document
  if (!file) return {}
  const fn = env.build.modules[file]?.getDocumentProps as ((ctx: unknown) => unknown) | undefined
  if (typeof fn !== 'function') {
    throw new Error(`${shown(env, file)}: export a function named getDocumentProps that returns attributes for <html>, e.g. export const getDocumentProps = () => ({ lang: 'en' }).`)
  }
  const attrs = await fn({ req, params: plan.params, pathname, loaderData: plan.data })
  if (attrs == null) return {}
  if (typeof attrs !== 'object') throw new Error(`${shown(env, file)}: getDocumentProps must return an object of attributes; it returned ${typeof attrs}.`)
  const out: HtmlAttributes = {}
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) out[k] = String(v)
  return out
}

async function stream(env: PageEnv, req: IncomingMessage, res: ServerResponse, plan: DocumentPlan, cut: AbortController): Promise<void> {
  const { pathname, search } = splitUrl(req.url ?? '/')
  const htmlAttrs = await documentProps(env, req, plan, pathname)
  const boot: BootRoute = { id: plan.routeId, kind: plan.view.kind, pathname, search, params: plan.params, htmlAttrs, error: plan.error }
  if (env.dev) boot.dev = true
  // A Content-Security-Policy nonce set by the app's middleware goes on every script Pareto or React writes.
  const given = (res as { locals?: { cspNonce?: unknown } }).locals?.cspNonce
  const nonce = typeof given === 'string' && given ? given : undefined
  const props: AppProps = {
    state: { pathname, search, params: plan.params, loaderData: plan.data },
    view: plan.view,
    headTags: mergeHead(plan.heads, { loaderData: plan.data, params: plan.params }),
    htmlAttrs,
    navigator: serverNavigator,
    assets: env.assets?.forFiles(plan.files),
    nonce,
  }
  await sendDocument({
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

function notFoundPlan(env: PageEnv): DocumentPlan {
  const { table } = env.build
  const layouts = table.rootLayout ? [component<{ children?: ReactNode }>(env, table.rootLayout)] : []
  const page = table.notFound ? component(env, table.notFound) : undefined
  const files = [table.rootLayout, table.notFound, table.rootHead].filter((f): f is string => !!f)
  return { view: { kind: 'not-found', layouts, page }, heads: heads(env, table.rootHead ? [table.rootHead] : []), files, data: undefined, params: {}, routeId: null, status: 404 }
}

function errorPlan(env: PageEnv, error: unknown, where: string, routeId: string | null): DocumentPlan {
  const { table } = env.build
  const shape = toPublicError(error, env.dev, where)
  const page = table.error ? component<{ error: Error }>(env, table.error) : undefined
  const status = (error as { expose?: boolean; status?: number })?.expose && typeof (error as { status?: number }).status === 'number' ? (error as { status: number }).status : 500
  return {
    view: { kind: 'error', page, error: Object.assign(new Error(shape.message), shape) },
    heads: [],
    files: table.error ? [table.error] : [],
    data: undefined,
    params: {},
    routeId,
    status,
    error: shape,
  }
}

/** Sends the error document; if even that fails, a plain-text 500 so the response always ends. */
async function sendError(env: PageEnv, req: IncomingMessage, res: ServerResponse, error: unknown, where: string, routeId: string | null): Promise<void> {
  try {
    await stream(env, req, res, errorPlan(env, error, where, routeId), new AbortController())
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

/** Renders a page route (or the not-found page when `route` is null): load → render → stream. */
export async function handlePage(env: PageEnv, req: IncomingMessage, res: ServerResponse, route: RouteEntry | null, params: Params): Promise<void> {
  const where = `${req.method} ${req.url}`
  const cut = new AbortController()
  let plan: DocumentPlan
  try {
    if (!route) plan = notFoundPlan(env)
    else {
      const loaderFile = route.loaderFile ?? route.file
      const loader = env.build.modules[loaderFile]?.loader as ((ctx: LoaderContext) => unknown) | undefined
      const onClose = () => !res.writableFinished && cut.abort(new RequestEnded('client disconnected'))
      res.once('close', onClose)
      const ctx = { req, res, params, signal: cut.signal } as unknown as LoaderContext
      const outcome = await runLoader(loader, ctx, shown(env, loaderFile))
      res.off('close', onClose)
      if (res.writableEnded || res.destroyed) return
      if (outcome.type === 'redirect') {
        res.statusCode = outcome.status
        res.setHeader('location', outcome.location)
        return void res.end()
      }
      if (outcome.type === 'not-found') plan = notFoundPlan(env)
      else if (outcome.type === 'error') return sendError(env, req, res, outcome.error, `loader of ${shown(env, loaderFile)} failed for ${where}`, route.id)
      else {
        const guarded = guardDeferred(outcome.data, cut.signal, (e) =>
          e instanceof RequestEnded
            ? e
            : new WireError(toPublicError(e, env.dev, `deferred data of ${shown(env, loaderFile)} rejected for ${where}`)),
        )
        plan = {
          view: { kind: 'page', layouts: route.layouts.map((f) => component<{ children?: ReactNode }>(env, f)), page: component(env, route.file) },
          heads: heads(env, route.heads),
          files: [...route.layouts, route.file, ...route.heads],
          data: guarded.data,
          params,
          routeId: route.id,
          status: res.statusCode || 200,
        }
      }
    }
    await stream(env, req, res, plan, cut)
  } catch (error) {
    const original = error instanceof ShellError ? error.original : error
    await sendError(env, req, res, original, `rendering ${where} failed`, route?.id ?? null)
  }
}
