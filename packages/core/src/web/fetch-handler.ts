import { SECURITY_HEADERS } from '../node/headers.js'
import { createPageHandler } from '../server/handler.js'
import type { RequestHandlerOptions } from '../server/handler.js'
import { WebIncoming, WebOutgoing } from './facade.js'
import { webRenderer } from './render.js'

/** Options of `createFetchHandler`. */
export interface FetchHandlerOptions extends Pick<RequestHandlerOptions, 'build' | 'manifest' | 'dev'> {
  /**
   * Answers for static files before the app: the client build and `public/` (`clientFiles(dir)` on runtimes with
   * a file system). Return null to pass the request on. Absent where the platform serves them (Workers assets).
   */
  assets?: (request: Request) => Response | null | Promise<Response | null>
}

/** The whole app as a web-standard handler: pages streamed as a ReadableStream, navigation data, actions, resource routes. */
export function createFetchHandler(options: FetchHandlerOptions): (request: Request) => Promise<Response> {
  const pages = createPageHandler({ build: options.build, manifest: options.manifest, dev: options.dev }, webRenderer)
  return async (request) => {
    const file = options.assets ? await options.assets(request) : null
    // The OWASP baseline, as `pareto start` sets it on every response, files included.
    if (file) {
      for (const [name, value] of SECURITY_HEADERS) if (!file.headers.has(name)) file.headers.set(name, value)
      return file
    }
    const req = new WebIncoming(request)
    const res = new WebOutgoing(request.method === 'HEAD')
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value)
    // Some servers cancel the body when the client leaves, others only abort the request's signal: either will do.
    request.signal?.addEventListener('abort', () => res.clientGone(), { once: true })
    pages(req, res, (error) => {
      console.error(`[pareto] ${req.method} ${req.url} failed:`, error)
      if (!res.headersSent) {
        res.statusCode = 500
        res.setHeader('content-type', 'text/plain; charset=utf-8')
        res.end('Internal Server Error')
      } else res.destroy()
    })
    return res.response
  }
}
