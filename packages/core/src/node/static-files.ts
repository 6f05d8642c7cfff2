import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import sirv from 'sirv'
import type { Middleware } from '../server/build-types.js'

/**
 * Every URL path sirv would answer from `dir` (it lists the folder once at start-up too): each file, and
 * the paths its `.html`/`.htm` extensions and `index.html` files stand for. A superset is harmless, since
 * sirv still decides; a missing path would send a file's request to the app.
 */
function staticPaths(dir: string): Set<string> {
  const out = new Set<string>()
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = `${prefix}/${entry.name}`
      if (entry.isDirectory()) walk(join(folder, entry.name), path)
      else {
        out.add(path)
        const bare = path.replace(/\.html?$/, '')
        if (bare !== path) out.add(bare)
        if (/\/index\.html?$/.test(path)) {
          const folderPath = path.replace(/\/index\.html?$/, '')
          out.add(folderPath || '/')
          out.add(folderPath + '/')
        }
      }
    }
  }
  if (existsSync(dir)) walk(dir, '')
  return out
}

/**
 * The client build and `public/` files, with immutable caching for hashed assets. A request for any other
 * path (a page, most requests) skips sirv's own lookup with one Set lookup.
 */
export function staticFiles(clientDir: string): Middleware {
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
