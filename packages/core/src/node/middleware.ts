import type { IncomingMessage, ServerResponse } from 'node:http'
import { constants as zlib } from 'node:zlib'
import compression from 'compression'
import type { Middleware } from '../server/build-types.js'
import { compose } from './compose.js'
import { securityHeaders } from './headers.js'
import { targetProblem } from './http.js'

/** What a server's chain is made of; the parts a command has no use for are left out. */
export interface ChainParts {
  /** `pareto start`: gzip/brotli. */
  compress?: boolean
  /** `pareto dev`: Vite's own middleware (modules, HMR, public/). */
  vite?: Middleware
  /** `pareto start`: the client build and public/. */
  statics?: Middleware
  /** The user's `app.ts`. */
  app?: Middleware
  /** Pareto's request handler. */
  pareto: Middleware
}

/** gzip or brotli (quality 4, cheap enough per request); Pareto flushes it after every streamed chunk. */
function compressResponses(): Middleware {
  const compress = compression({
    brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    threshold: 0,
  }) as unknown as Middleware
  return (req, res, next) => {
    if (req.headers['accept-encoding']) return compress(req, res, next)
    // A client that accepts no encoding gets nothing from the layer but its cost; caches still learn the answer varies.
    res.setHeader('vary', 'Accept-Encoding')
    next()
  }
}

/** Answers targets no middleware should see (over 8 KiB: 414, not a path: 400, `OPTIONS *`: 204); absolute form becomes its path. */
function requestTarget(): Middleware {
  return (req, res, next) => {
    const problem = targetProblem(req)
    if (!problem) return next()
    res.statusCode = problem.status
    for (const [k, v] of Object.entries(problem.headers ?? {})) res.setHeader(k, v)
    if (problem.message) res.setHeader('content-type', 'text/plain; charset=utf-8')
    res.end(problem.message)
  }
}

/** The middleware chain of `pareto start` and `pareto dev`, in the order a request meets it. */
export function serverChain(parts: ChainParts): (req: IncomingMessage, res: ServerResponse) => void {
  // Node's own middleware (compression, sirv) is written for Node's objects, which is what this chain is given.
  const chain = [
    securityHeaders(), // OWASP baseline headers, on every response (the app's own win)
    requestTarget(), // 414 for overlong targets, absolute form to a path, before statics and the app read it
    ...(parts.compress ? [compressResponses()] : []), // compression that keeps streaming
    ...(parts.vite ? [parts.vite] : []), // dev: Vite serves modules, HMR and public/
    ...(parts.statics ? [parts.statics] : []), // start: hashed assets and public/, before any app code
    ...(parts.app ? [parts.app] : []), // the user's app.ts: its routes and middleware run before Pareto's
    parts.pareto, // pages, navigation data, resource routes, the 404 page
  ] as unknown as Middleware[]
  return compose(chain)
}
