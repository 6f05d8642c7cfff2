import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '../server/build-types.js'
import type { ViteManifest } from '../server/assets.js'
import { createRequestHandler } from '../server/handler.js'
import { serverClasses } from './http.js'
import { serverChain } from './middleware.js'
import { staticFiles } from './static-files.js'
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
    throw new Error(
      `No build found in ${outDir} (looked for server/entry.mjs and client/.vite/manifest.json). Run \`pareto build\` first.`,
    )
  }
  const build = (await import(pathToFileURL(entry).href)) as ServerBuild
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ViteManifest
  return { build, manifest }
}

/**
 * Starts the production server for a build in `outDir`: static files, compression, security headers, the app, Pareto.
 * The second argument may be the options or, as in the original Pareto, the path of an app file (`{ appFile }`).
 */
export async function startProductionServer(
  outDir = '.pareto',
  optionsOrAppFile: ProductionServerOptions | string = {},
): Promise<Server> {
  const options: ProductionServerOptions =
    typeof optionsOrAppFile === 'string' ? { appFile: optionsOrAppFile } : optionsOrAppFile
  const loaded = await loadBuild(outDir)
  const manifest = loaded.manifest
  // An app file passed here takes the place of the app.ts compiled into the build; the rest reads it as build.app.
  const build: ServerBuild = options.appFile
    ? { ...loaded.build, app: await loadAppFile(options.appFile) }
    : loaded.build
  const pareto = createRequestHandler({ build, manifest })
  const handler = serverChain({ statics: staticFiles(join(outDir, 'client')), compress: true, app: build.app, pareto })

  const server = createServer(serverClasses(build.app), (req: IncomingMessage, res: ServerResponse) =>
    handler(req, res),
  )
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
