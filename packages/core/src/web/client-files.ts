import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dirname } from 'node:path'
import { staticPaths } from '../node/static-paths.js'
import { StaticPages } from '../static/serve.js'

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  woff: 'font/woff',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
}

/**
 * Serves the build's static pages (from `<outDir>/static`, beside the client folder), then the client build and
 * `public/` files, for runtimes with a file system (Bun, Deno, Node): hashed `/assets/` files cached for a year,
 * the rest revalidated, dotfiles (the manifest) never. Returns null for any other path. Cloudflare Workers serve
 * the client files through their assets binding instead.
 */
export function clientFiles(dir: string | URL): (request: Request) => Promise<Response | null> {
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir)
  const files = staticPaths(root)
  const pages = StaticPages.load(dirname(root))
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null
    const path = new URL(request.url).pathname
    const reply = pages?.reply(
      request.method,
      path,
      request.headers.get('accept-encoding') ?? undefined,
      request.headers.get('if-none-match') ?? undefined,
    )
    if (reply) {
      const body = reply.file && request.method === 'GET' ? await pages!.read(reply.file) : null
      return new Response(body as Uint8Array<ArrayBuffer> | null, {
        status: reply.status,
        headers: new Headers(reply.headers),
      })
    }
    if (!files.has(path) || path.split('/').some((part) => part.startsWith('.'))) return null
    const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
    const body = await readFile(join(root, path)).catch(() => null)
    if (!body) return null
    const headers = new Headers({
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': path.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=0, must-revalidate',
    })
    return new Response(request.method === 'HEAD' ? null : body, { headers })
  }
}
