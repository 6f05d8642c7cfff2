import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { constants as zlib } from 'node:zlib'
import compression from 'compression'
import sirv from 'sirv'
import type { Middleware, ServerBuild } from '../server/build-types.js'
import type { ViteManifest } from '../server/assets.js'
import { createRequestHandler } from '../server/handler.js'
import { securityHeaders } from './headers.js'
import { serverClasses } from './http.js'
import { compose } from './compose.js'
import { loadAppFile } from './app-file.js'

/** Options of `startProductionServer`. */
export interface ProductionServerOptions {
  /** @default process.env.PORT or 3000 */
  port?: number
  /** @default '0.0.0.0' (all interfaces) */
  host?: string
  /** Milliseconds to let open requests finish on SIGTERM/SIGINT before closing them. @default 10000 */
  shutdownTimeout?: number
  /**
   * A module whose default export is an Express app (or `(req, res, next)` function), used instead of the build's
   * `app.ts`: its routes run before Pareto's. The original Pareto's `startProductionServer(outDir, appFile)`.
   */
  appFile?: string
}

/** Loads what `pareto build` wrote to `outDir`: the server entry and the client manifest. */
export async function loadBuild(outDir: string): Promise<{ build: ServerBuild; manifest: ViteManifest }> {
  const entry = resolve(outDir, 'server/entry.mjs')
  const manifestFile = resolve(outDir, 'client/.vite/manifest.json')
  if (!existsSync(entry) || !existsSync(manifestFile)) {
    throw new Error(`No build found in ${outDir} (looked for server/entry.mjs and client/.vite/manifest.json). Run \`pareto build\` first.`)
  }
  const build = (await import(pathToFileURL(entry).href)) as ServerBuild
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ViteManifest
  return { build, manifest }
}

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
 * Starts the production server for a build in `outDir`: static files, compression, security headers, the app, Pareto.
 * The second argument may be the options or, as in the original Pareto, the path of an app file (`{ appFile }`).
 */
export async function startProductionServer(outDir = '.pareto', optionsOrAppFile: ProductionServerOptions | string = {}): Promise<Server> {
  const options: ProductionServerOptions = typeof optionsOrAppFile === 'string' ? { appFile: optionsOrAppFile } : optionsOrAppFile
  const loaded = await loadBuild(outDir)
  const manifest = loaded.manifest
  // An app file passed here takes the place of the app.ts compiled into the build; the rest reads it as build.app.
  const build: ServerBuild = options.appFile ? { ...loaded.build, app: await loadAppFile(options.appFile) } : loaded.build
  const clientDir = join(outDir, 'client')
  const files = staticPaths(clientDir)
  const sirvStatics = sirv(clientDir, {
    etag: true,
    // Hashed build output never changes under its name; public/ files may, so they are revalidated.
    setHeaders(res, pathname) {
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate')
    },
  })
  // sirv's own lookup runs on every request; a page or API request (most of them) skips it with one Set lookup.
  const statics: Middleware = (req, res, next) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    if (files.has(path) || path.includes('%')) return (sirvStatics as unknown as Middleware)(req, res, next)
    next()
  }
  const pareto = createRequestHandler({ build, manifest })
  const compress = compression({
    // Quality 4 keeps brotli cheap enough to run per request; each streamed chunk is flushed by Pareto.
    brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    threshold: 0,
  }) as unknown as Middleware
  const handler = compose([
    securityHeaders(),
    // A client that accepts no encoding gets nothing from the compression layer but its cost; caches still
    // learn that the answer depends on the header.
    (req, res, next) => {
      if (req.headers['accept-encoding']) return compress(req, res, next)
      res.setHeader('vary', 'Accept-Encoding')
      next()
    },
    statics,
    ...(build.app ? [build.app] : []),
    pareto,
  ])

  const server = createServer(serverClasses(build.app), (req: IncomingMessage, res: ServerResponse) => handler(req, res))
  const port = options.port ?? (Number(process.env.PORT) || 3000)
  const host = options.host ?? '0.0.0.0'
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(port, host, () => {
      server.off('error', fail)
      ok()
    })
  })
  const shutdown = (signal: string) => {
    console.log(`[pareto] ${signal}: closing the server, letting open requests finish`)
    server.close(() => process.exit(0))
    server.closeIdleConnections()
    setTimeout(() => {
      server.closeAllConnections()
      process.exit(0)
    }, options.shutdownTimeout ?? 10_000).unref()
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
  return server
}
