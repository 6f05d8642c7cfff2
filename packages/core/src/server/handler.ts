import type { PlatformRequest as IncomingMessage, PlatformResponse as ServerResponse } from './platform.js'
import { isSecure, NAVIGATION_RESPONSE } from './platform.js'
import type { Renderer } from './renderer.js'
import { createMatcher, MalformedPathError } from '../routes/match.js'
import type { RouteEntry, RouteMatch } from '../routes/types.js'
import { allFiles, viewFiles } from '../routes/view-files.js'
import type { ServerBuild } from './build-types.js'
import { createAssetResolver } from './assets.js'
import type { AssetResolver, ViteManifest } from './assets.js'
import { ensureExpressMembers, parseQuery, targetProblem } from '../node/http.js'
import { PageRequest } from './request.js'
import type { PageEnv } from './request.js'
import { resolvePage } from './resolve.js'
import type { ResolvedPage } from './resolve.js'
import { sendDocument } from './document.js'
import { NOT_A_PAGE, sendNavigation, sendPayload } from './navigation.js'
import { isThenable } from '../shared/thenable.js'
import { DATA_PREFIX, KEEP_HEADER, REVALIDATE_HEADER } from '../wire/protocol.js'
import { crossSiteProblem } from './csrf.js'
import type { OriginInput } from './csrf.js'
import { actionOf } from './act.js'
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
  /** Each page route's Early Hints links, made on its first request. */
  hints: WeakMap<RouteEntry, string[]>
}

/** The methods a page URL answers, as its `Allow` header lists them. */
const PAGE_METHODS = 'GET, HEAD, OPTIONS'
/** The methods of a page with an action. */
const PAGE_WRITE_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'
const ACTION_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The request as the origin check reads it. */
function originInput(req: IncomingMessage, method: string): OriginInput {
  return {
    method,
    header: (name) => {
      const v = req.headers[name]
      return Array.isArray(v) ? v[0] : v
    },
    secure: isSecure(req),
  }
}

function plainResponse(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end()
  res.statusCode = status
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.end(text)
}

/** The Link values of a page route's 103 Early Hints: its stylesheets, the client entry and the route's chunks. */
function earlyHintLinks(env: PageEnv, route: RouteEntry): string[] {
  const assets = env.assets?.forFiles(allFiles(viewFiles(env.build.table, { kind: 'page', route })))
  const links: string[] = []
  for (const href of assets?.css ?? []) links.push(`<${href}>; rel=preload; as=style`)
  for (const href of env.bootstrapModules) links.push(`<${href}>; rel=modulepreload`)
  for (const href of assets?.modules ?? []) links.push(`<${href}>; rel=modulepreload`)
  return links
}

/**
 * Sends 103 Early Hints for a page's document, so the browser fetches its scripts and styles while the loader
 * runs. Not for HTTP/1.0 clients (no 1xx there), not in dev (Vite serves modules by their source path), and
 * not on a response without `writeEarlyHints` (other servers' objects).
 */
function sendEarlyHints(p: Prepared, req: IncomingMessage, res: ServerResponse, route: RouteEntry): void {
  const { env } = p
  if (env.dev || env.build.config.earlyHints === false || res.headersSent) return
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) return
  if (typeof res.writeEarlyHints !== 'function') return
  let links = p.hints.get(route)
  if (!links) p.hints.set(route, (links = earlyHintLinks(env, route)))
  if (links.length === 0) return
  try {
    res.writeEarlyHints({ link: links })
  } catch (error) {
    // Hints are an optimisation: a response that cannot carry them still serves the page.
    console.warn(`[pareto] could not send 103 Early Hints for ${req.method} ${req.url}:`, error)
  }
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

/** The 400 text for a navigation data request that gives its target as a query instead of a path. */
function misplacedQuery(url: string): string {
  const names = Object.keys(parseQuery(url.slice(DATA_PREFIX.length)))
  const given = names.length
    ? `the query parameter${names.length > 1 ? 's' : ''} ${names.map((n) => JSON.stringify(n)).join(', ')}`
    : 'an empty query'
  return `Bad Request: ${DATA_PREFIX} was given ${given} but no path. Navigation data takes the target page's path and query after the prefix, e.g. ${DATA_PREFIX}/blog?x=1 for /blog?x=1.`
}

/**
 * The handler every platform shares: answers every Pareto route — pages (streamed HTML), navigation data,
 * actions, resource routes (JSON), and 404s — rendering with the platform's React renderer.
 */
export function createPageHandler(options: RequestHandlerOptions, renderer: Renderer): RequestHandler {
  const dev = options.dev ?? false
  const prepared = new WeakMap<ServerBuild, Prepared>()
  let assets: AssetResolver | undefined = options.assets

  const prepare = (build: ServerBuild): Prepared => {
    let p = prepared.get(build)
    if (!p) {
      if (options.manifest && !assets) assets = createAssetResolver(options.manifest, `${build.config.appDir}/`)
      const bootstrapModules = options.bootstrapModules ?? (assets ? [assets.entry] : [])
      p = {
        match: createMatcher(build.table.routes),
        env: { build, assets, bootstrapModules, dev, renderer },
        hints: new WeakMap(),
      }
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
    const prepared = prepare(build)
    const { match, env } = prepared
    const problem = targetProblem(req)
    if (problem) return plainResponse(res, problem.status, problem.message, problem.headers)
    let url = req.url ?? '/'
    const navigation = url === DATA_PREFIX || url.startsWith(DATA_PREFIX + '/') || url.startsWith(DATA_PREFIX + '?')
    if (navigation) {
      // The router always sends a path (`/__pareto/data/blog?x=1`); a bare query would silently get the home page.
      if (url.startsWith(DATA_PREFIX + '?')) return plainResponse(res, 400, misplacedQuery(url))
      // The loader must see the target page's URL and query, as a document request would.
      url = url.slice(DATA_PREFIX.length) || '/'
      if (!url.startsWith('/')) url = '/' + url
      req.url = url
    }
    const { pathname } = splitTarget(url)
    let found: RouteMatch<RouteEntry> | null
    try {
      found = match(pathname)
    } catch (error) {
      if (error instanceof MalformedPathError) return plainResponse(res, 400, `Bad Request: ${error.message}.`)
      throw error
    }
    const method = req.method ?? 'GET'
    const writes = ACTION_METHODS.has(method)
    if (writes && found) {
      const refused = crossSiteProblem(originInput(req, method), build.config, `${method} ${pathname}`)
      if (refused) return plainResponse(res, 403, refused)
    }
    if (found?.route.kind === 'resource') {
      if (navigation) return sendPayload(new PageRequest(env, req, res, null, {}), NOT_A_PAGE)
      const mod = build.modules[found.route.file] ?? {}
      return handleResource(
        req,
        res,
        found.route,
        mod,
        found.params,
        `${build.config.appDir}/${found.route.file}`,
        dev,
        build.config.bodyLimit,
      )
    }
    const hasAction = !!found && !!actionOf(build.modules, found.route)
    if (method === 'OPTIONS' && !navigation) {
      res.statusCode = 204
      res.setHeader('allow', hasAction ? PAGE_WRITE_METHODS : PAGE_METHODS)
      return void res.end()
    }
    if (method !== 'GET' && method !== 'HEAD' && !(writes && hasAction)) {
      const allow = hasAction ? PAGE_WRITE_METHODS : PAGE_METHODS
      const why = !found
        ? `no page answers ${pathname}`
        : writes
          ? `${env.build.config.appDir}/${found.route.loaderFile ?? found.route.file} has no action export. Export \`action\` from it to accept form submissions, or put the endpoint in a route.ts`
          : `pages answer ${allow}`
      return plainResponse(res, 405, `Method ${method} is not allowed on ${pathname}: ${why}.`, { allow })
    }
    const r = new PageRequest(env, req, res, found?.route ?? null, found?.params ?? {})
    if (writes) r.acting = true
    if (!navigation) {
      if (method === 'GET' && found) sendEarlyHints(prepared, req, res, found.route)
      return respond(r, sendDocument)
    }
    r.navigation = true
    // ctx.res.redirect() then answers with a redirect frame the router follows, not a 3xx its fetch would.
    ;(res as { [NAVIGATION_RESPONSE]?: boolean })[NAVIGATION_RESPONSE] = true
    const keep = req.headers[KEEP_HEADER]
    if (typeof keep === 'string' && keep && found) {
      const files = new Set(keep.split(','))
      // A page's own data is kept only when its action was refused; a navigation always loads it.
      if (!writes) files.delete(found.route.file)
      r.keep = files
    }
    if (writes && req.headers[REVALIDATE_HEADER] === '0') r.revalidate = false
    return respond(r, sendNavigation)
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
