import type { IncomingMessage, ServerResponse } from 'node:http'
import { createMatcher, MalformedPathError } from '../routes/match.js'
import type { RouteEntry, RouteMatch } from '../routes/types.js'
import type { ServerBuild } from './build-types.js'
import { createAssetResolver } from './assets.js'
import type { AssetResolver, ViteManifest } from './assets.js'
import { ensureExpressMembers } from '../node/http.js'
import { PageRequest } from './request.js'
import type { PageEnv } from './request.js'
import { resolvePage } from './resolve.js'
import type { ResolvedPage } from './resolve.js'
import { sendDocument } from './document.js'
import { NOT_A_PAGE, sendNavigation, sendPayload } from './navigation.js'
import { isThenable } from '../shared/thenable.js'
import { DATA_PREFIX } from '../wire/protocol.js'
import { handleResource } from './resource.js'
import { splitTarget } from './url.js'

/** Options of `createRequestHandler`. */
export interface RequestHandlerOptions {
  /** The server build (the generated entry's exports), or a function giving the current one (dev). */
  build: ServerBuild | (() => ServerBuild | Promise<ServerBuild>)
  /** Vite's client manifest; absent in development, where Vite serves modules itself. */
  manifest?: ViteManifest
  /** Development mode: real error messages and stacks in the browser. @default false */
  dev?: boolean
  /** Module scripts that boot the client; defaults to the manifest's entry. */
  bootstrapModules?: string[]
  /** @internal Where a route's scripts and styles come from when there is no manifest (the dev server's module graph). */
  assets?: AssetResolver
}

/** A Node/Connect/Express-style handler: `(req, res, next?)`. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void

interface Prepared {
  match: (pathname: string) => RouteMatch<RouteEntry> | null
  env: PageEnv
}

function plainResponse(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end()
  res.statusCode = status
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.end(text)
}

/**
 * A page request, resolved once and sent one of two ways (as a document or as navigation frames). Stays
 * synchronous for as long as the loader is: a promise costs a turn per request.
 */
function respond(
  r: PageRequest,
  send: (r: PageRequest, page: ResolvedPage) => Promise<void> | void,
): Promise<void> | void {
  const page = resolvePage(r)
  return isThenable(page) ? page.then((resolved) => send(r, resolved)) : send(r, page)
}

/** Creates the middleware that answers every Pareto route: pages (streamed HTML), resource routes (JSON), and 404s. */
export function createRequestHandler(options: RequestHandlerOptions): RequestHandler {
  const dev = options.dev ?? false
  const prepared = new WeakMap<ServerBuild, Prepared>()
  let assets: AssetResolver | undefined = options.assets

  const prepare = (build: ServerBuild): Prepared => {
    let p = prepared.get(build)
    if (!p) {
      if (options.manifest && !assets) assets = createAssetResolver(options.manifest, `${build.config.appDir}/`)
      const bootstrapModules = options.bootstrapModules ?? (assets ? [assets.entry] : [])
      p = { match: createMatcher(build.table.routes), env: { build, assets, bootstrapModules, dev } }
      prepared.set(build, p)
    }
    return p
  }

  // Not async: in production the build is at hand, and an async frame more per request costs a promise.
  const handle = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    ensureExpressMembers(req, res)
    const { build } = options
    if (typeof build !== 'function') return route(build, req, res)
    return Promise.resolve(build()).then((current) => route(current, req, res))
  }

  const route = (build: ServerBuild, req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    const { match, env } = prepare(build)
    let url = req.url ?? '/'
    const navigation = url === DATA_PREFIX || url.startsWith(DATA_PREFIX + '/') || url.startsWith(DATA_PREFIX + '?')
    if (navigation) {
      // The loader must see the target page's URL and query, as a document request would.
      url = url.slice(DATA_PREFIX.length) || '/'
      if (!url.startsWith('/')) url = '/' + url
      req.url = url
    }
    const { pathname } = splitTarget(url)
    if (!pathname.startsWith('/'))
      return plainResponse(res, 400, 'Bad Request: the request target must be a path starting with "/".')
    let found: RouteMatch<RouteEntry> | null
    try {
      found = match(pathname)
    } catch (error) {
      if (error instanceof MalformedPathError) return plainResponse(res, 400, `Bad Request: ${error.message}.`)
      throw error
    }
    if (navigation) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return plainResponse(res, 405, 'Navigation data is read with GET.', { allow: 'GET, HEAD' })
      if (found?.route.kind === 'resource') return sendPayload(new PageRequest(env, req, res, null, {}), NOT_A_PAGE)
      return respond(new PageRequest(env, req, res, found?.route ?? null, found?.params ?? {}), sendNavigation)
    }
    if (found?.route.kind === 'resource') {
      const mod = build.modules[found.route.file] ?? {}
      return handleResource(req, res, found.route, mod, found.params, `${build.config.appDir}/${found.route.file}`, dev)
    }
    const method = req.method ?? 'GET'
    if (method !== 'GET' && method !== 'HEAD') {
      return plainResponse(
        res,
        405,
        `Method ${method} is not allowed on a page. Pages answer GET and HEAD; put actions in a route.ts.`,
        { allow: 'GET, HEAD' },
      )
    }
    return respond(new PageRequest(env, req, res, found?.route ?? null, found?.params ?? {}), sendDocument)
  }

  return (req, res, next) => {
    const fail = (error: unknown) => {
      // A bug in Pareto itself, or a failure the page path could not turn into an error page.
      console.error(
        `[pareto] unexpected failure answering ${req.method} ${req.url}; this may be a Pareto bug, please report it:`,
        error,
      )
      if (next && !res.headersSent) return next(error)
      if (!res.headersSent) plainResponse(res, 500, 'Internal Server Error')
      else res.destroy()
    }
    try {
      handle(req, res)?.catch(fail)
    } catch (error) {
      fail(error)
    }
  }
}
