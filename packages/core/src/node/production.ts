import cluster from 'node:cluster'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '../server/build-types.js'
import type { ViteManifest } from '../server/assets.js'
import { createRequestHandler } from './request-handler.js'
import { refuseTunnel, serverClasses } from './http.js'
import { serverChain } from './middleware.js'
import { staticFiles } from './static-files.js'
import { loadAppFile } from './app-file.js'
import { drainable } from './shutdown.js'
import { reportToPrimary, startPrimary, workerCount, workerLabel } from './cluster.js'
import type { WorkerCount, WorkerPool } from './cluster.js'

/**
 * Added to the build's streamTimeout for the default shutdownTimeout (8 s with the default 5 s): time for writes,
 * actions and resource routes, and a deadline that stays under Docker's 10 s stop timeout and nginx's 10 s
 * fail_timeout, since idle keep-alive connections are held open until it.
 */
export const SHUTDOWN_GRACE_MS = 3000

/** Default of `headersTimeout`: a request's headers come in one or two packets; a client still sending them after this is stalling. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000

/** Default of `requestTimeout`: room for a 1 MB action body on a slow mobile link. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

/** Default of `keepAliveTimeout`: above the 60 s idle timeout of nginx's upstream keepalive and of common load balancers. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000

/** Options of `startProductionServer`. */
export interface ProductionServerOptions {
  /** @default process.env.PORT or 3000 */
  port?: number
  /** @default '0.0.0.0' (all interfaces) */
  host?: string
  /**
   * Milliseconds open requests get to finish on SIGTERM/SIGINT before their connections are cut; idle keep-alive
   * connections the client never uses again are closed then too.
   * @default the build's streamTimeout + 3000 (8000 with the default streamTimeout)
   */
  shutdownTimeout?: number
  /** Milliseconds a client has to send a request's headers; a slower one gets 408 and its connection closed (0: no limit). @default 10000 */
  headersTimeout?: number
  /** Milliseconds a client has to send a whole request, headers and body (0: no limit). @default 30000 */
  requestTimeout?: number
  /** Milliseconds an idle keep-alive connection stays open; keep it above a proxy's upstream idle timeout. @default 65000 */
  keepAliveTimeout?: number
  /**
   * Runs the server in this many worker processes sharing the port (`node:cluster`); `'auto'` is one per CPU core.
   * The script is run again in each worker. Without it, one process.
   */
  workers?: WorkerCount
  /**
   * A module whose default export is an Express app (or `(req, res, next)` function), used instead of the build's
   * `app.ts`: its routes run before Pareto's. The original Pareto's `startProductionServer(outDir, appFile)`.
   */
  appFile?: string
}

/** The build's server entry and client manifest files; throws, naming them, when `pareto build` has not run. */
function findBuild(outDir: string): { entry: string; manifestFile: string } {
  const entry = resolve(outDir, 'server/entry.mjs')
  const manifestFile = resolve(outDir, 'client/.vite/manifest.json')
  if (!existsSync(entry) || !existsSync(manifestFile)) {
    throw new Error(
      `No build found in ${outDir} (looked for server/entry.mjs and client/.vite/manifest.json). Run \`pareto build\` first.`,
    )
  }
  return { entry, manifestFile }
}

/** Loads what `pareto build` wrote to `outDir`: the server entry and the client manifest. */
export async function loadBuild(outDir: string): Promise<{ build: ServerBuild; manifest: ViteManifest }> {
  const { entry, manifestFile } = findBuild(outDir)
  const build = (await import(pathToFileURL(entry).href)) as ServerBuild
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ViteManifest
  return { build, manifest }
}

/** A timeout option in milliseconds, or its default; throws naming the option when it is not a number from 0 up. */
function timeoutOption(options: ProductionServerOptions, name: TimeoutName, fallback: number): number {
  const value = options[name] ?? fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(
      `startProductionServer: ${name} must be a number of milliseconds from 0 up (0 turns it off), e.g. ${fallback}; got ${String(value)}.`,
    )
  }
  return value
}

type TimeoutName = 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'shutdownTimeout'

/** The three connection timeouts, checked against each other as Node requires. */
function connectionTimeouts(options: ProductionServerOptions) {
  const headersTimeout = timeoutOption(options, 'headersTimeout', DEFAULT_HEADERS_TIMEOUT_MS)
  const requestTimeout = timeoutOption(options, 'requestTimeout', DEFAULT_REQUEST_TIMEOUT_MS)
  const keepAliveTimeout = timeoutOption(options, 'keepAliveTimeout', DEFAULT_KEEP_ALIVE_TIMEOUT_MS)
  if (headersTimeout > 0 && requestTimeout > 0 && headersTimeout > requestTimeout) {
    throw new Error(
      `startProductionServer: headersTimeout (${headersTimeout} ms) is longer than requestTimeout (${requestTimeout} ms), which includes the headers. Lower headersTimeout or raise requestTimeout.`,
    )
  }
  // Node checks both every 30 s by default, which would let a stalled client stay up to 30 s past its limit.
  const shortest = Math.min(...[headersTimeout, requestTimeout].filter((t) => t > 0), 4000)
  return { headersTimeout, requestTimeout, keepAliveTimeout, checkEvery: Math.max(50, Math.floor(shortest / 4)) }
}

/**
 * Starts the production server for a build in `outDir`: static files, compression, security headers, the app, Pareto.
 * The second argument may be the options or, as in the original Pareto, the path of an app file (`{ appFile }`).
 * With `workers`, the primary process resolves to the worker pool and each worker to its own server.
 */
export async function startProductionServer(
  outDir?: string,
  optionsOrAppFile?: (ProductionServerOptions & { workers?: undefined }) | string,
): Promise<Server>
export async function startProductionServer(
  outDir: string | undefined,
  options: ProductionServerOptions,
): Promise<Server | WorkerPool>
export async function startProductionServer(
  outDir = '.pareto',
  optionsOrAppFile: ProductionServerOptions | string = {},
): Promise<Server | WorkerPool> {
  const options: ProductionServerOptions =
    typeof optionsOrAppFile === 'string' ? { appFile: optionsOrAppFile } : optionsOrAppFile
  const timeouts = connectionTimeouts(options)
  if (options.shutdownTimeout !== undefined) timeoutOption(options, 'shutdownTimeout', 8000)
  if (options.workers !== undefined && cluster.isPrimary) {
    const workers = workerCount(options.workers)
    if (workers === undefined) {
      throw new Error(
        `startProductionServer: workers must be a whole number of processes from 1 up, e.g. 4, or 'auto' for one per CPU core; got ${JSON.stringify(options.workers)}.`,
      )
    }
    // Here, not in each worker: a missing build is one error, not a worker dying at every restart.
    findBuild(outDir)
    return startPrimary(workers)
  }
  const loaded = await loadBuild(outDir)
  const manifest = loaded.manifest
  // An app file passed here takes the place of the app.ts compiled into the build; the rest reads it as build.app.
  const build: ServerBuild = options.appFile
    ? { ...loaded.build, app: await loadAppFile(options.appFile) }
    : loaded.build
  const pareto = createRequestHandler({ build, manifest })
  const handler = serverChain({ statics: staticFiles(join(outDir, 'client')), compress: true, app: build.app, pareto })

  const server = createServer(
    { ...serverClasses(build.app), connectionsCheckingInterval: timeouts.checkEvery },
    (req: IncomingMessage, res: ServerResponse) => handler(req, res),
  )
  server.headersTimeout = timeouts.headersTimeout
  server.requestTimeout = timeouts.requestTimeout
  server.keepAliveTimeout = timeouts.keepAliveTimeout
  server.on('connect', refuseTunnel)
  const drain = drainable(server)
  const port = options.port ?? (Number(process.env.PORT) || 3000)
  const host = options.host ?? '0.0.0.0'
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(port, host, () => {
      server.off('error', fail)
      ok()
    })
  })
  const shutdownTimeout = options.shutdownTimeout ?? build.config.streamTimeout + SHUTDOWN_GRACE_MS
  const shutdown = (signal: string) => {
    if (drain.draining) return
    console.log(
      `[pareto] ${workerLabel()}${signal}: not accepting connections; open requests get up to ${shutdownTimeout} ms to finish`,
    )
    void drain.drain(shutdownTimeout).then(({ cut, idle }) => {
      if (cut > 0) {
        console.warn(
          `[pareto] ${workerLabel()}${cut} connection(s) still open after ${shutdownTimeout} ms were closed. Raise shutdownTimeout if requests need longer.`,
        )
      }
      if (idle > 0) {
        console.log(
          `[pareto] ${workerLabel()}closed ${idle} idle keep-alive connection(s) at the ${shutdownTimeout} ms deadline`,
        )
      }
      process.exit(0)
    })
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
  reportToPrimary(shutdownTimeout)
  return server
}
