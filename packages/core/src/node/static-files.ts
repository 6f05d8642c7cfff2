import type { ServerResponse } from 'node:http'
import { dirname } from 'node:path'
import sirv from 'sirv'
import { staticPaths } from './static-paths.js'
import type { Middleware } from '../server/build-types.js'
import { StaticPages } from '../static/serve.js'
import type { StaticReply } from '../static/serve.js'

/** Writes a static page's reply; its body comes from memory or disk. */
function send(pages: StaticPages, res: ServerResponse, reply: StaticReply, fail: (err: unknown) => void): void {
  res.statusCode = reply.status
  for (const [name, value] of reply.headers) res.setHeader(name, value)
  if (!reply.file) return void res.end()
  const body = pages.read(reply.file)
  if (Buffer.isBuffer(body)) return void res.end(body)
  body.then((bytes) => res.end(bytes), fail)
}

/**
 * The build's static pages (GET and HEAD of a page `pareto build` rendered, and of its navigation data), then
 * the client build and `public/` files, with immutable caching for hashed assets. A request for any other path
 * (a page rendered per request, most requests) passes with two lookups. The static pages are read from
 * `<outDir>/static.json`, beside `clientDir` (`<outDir>/client`).
 */
export function staticFiles(clientDir: string): Middleware {
  const pages = StaticPages.load(dirname(clientDir))
  const assets = assetFiles(clientDir)
  if (!pages) return assets
  return (req, res, next) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const reply = pages.reply(
      req.method,
      q < 0 ? url : url.slice(0, q),
      req.headers['accept-encoding'] as string | undefined,
      req.headers['if-none-match'] as string | undefined,
    )
    if (!reply) return assets(req, res, next)
    send(pages, res as ServerResponse, reply, next)
  }
}

/** The client build and `public/` files, served by sirv; other paths pass with one Set lookup. */
function assetFiles(clientDir: string): Middleware {
  const files = staticPaths(clientDir)
  const serve = sirv(clientDir, {
    etag: true,
    // Hashed build output never changes under its name; public/ files may, so they are revalidated.
    setHeaders(res, pathname) {
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      )
    },
  }) as unknown as Middleware
  return (req, res, next) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    if (files.has(path) || path.includes('%')) return serve(req, res, next)
    next()
  }
}
