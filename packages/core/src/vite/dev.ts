import { createServer as createHttpServer } from 'node:http'
import type { Server } from 'node:http'
import { resolve, sep } from 'node:path'
import { createServer, mergeConfig } from 'vite'
import { createRequestHandler } from '../server/handler.js'
import { serverClasses } from '../node/http.js'
import { serverChain } from '../node/middleware.js'
import type { Middleware, ServerBuild } from '../server/build-types.js'
import { loadParetoConfig } from './load-config.js'
import { baseViteConfig } from './vite-config.js'
import { DEV_CLIENT_ENTRY_URL, SERVER_ENTRY } from './virtual.js'
import { createDevAssetResolver } from './dev-assets.js'

/** `pareto dev`: Vite with HMR, and every request rendered from the current code. */
export async function startDevServer(root: string, options: { port: number; host?: string }): Promise<Server> {
  const config = await loadParetoConfig(root, 'serve')
  const base = await baseViteConfig(root, config, 'serve')
  // Node's own classes in dev: the app's `app.ts` may appear at any time, and Express 4 must get them untouched (serverClasses).
  const httpServer = createHttpServer(serverClasses(true))
  const vite = await createServer(
    mergeConfig(base, {
      mode: 'development',
      appType: 'custom',
      server: { middlewareMode: true, hmr: { server: httpServer } },
    }),
  )
  const load = async (): Promise<ServerBuild> => {
    try {
      return (await vite.ssrLoadModule(SERVER_ENTRY)) as unknown as ServerBuild
    } catch (error) {
      if (error instanceof Error) vite.ssrFixStacktrace(error)
      throw error
    }
  }
  const appDirAbs = resolve(root, config.appDir).split(sep).join('/')
  const assets = createDevAssetResolver(vite, appDirAbs)
  const pareto = createRequestHandler({
    build: load,
    dev: true,
    bootstrapModules: ['/@vite/client', DEV_CLIENT_ENTRY_URL],
    assets,
  })
  // The user's app.ts is reloaded with the rest of the code on every request.
  const app: Middleware = (req, res, next) => {
    load().then(
      (b) => (b.app ? b.app(req, res, next) : next()),
      (error) => devFailure(res, error),
    )
  }
  const handler = serverChain({
    vite: vite.middlewares as unknown as Middleware,
    app,
    pareto: (req, res) => pareto(req, res),
  })
  httpServer.on('request', handler)
  await new Promise<void>((ok, fail) => {
    httpServer.once('error', fail)
    httpServer.listen(options.port, options.host ?? 'localhost', () => ok())
  })
  const close = () => {
    void vite.close().finally(() => httpServer.close(() => process.exit(0)))
    httpServer.closeAllConnections()
  }
  process.once('SIGINT', close)
  process.once('SIGTERM', close)
  return httpServer
}

function devFailure(res: import('node:http').ServerResponse, error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  console.error(`[pareto] could not load the app:\n${message}`)
  res.statusCode = 500
  res.setHeader('content-type', 'text/html; charset=utf-8')
  const escaped = message.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
  res.end(
    `<!DOCTYPE html><title>Pareto: the app failed to load</title><h1>The app failed to load</h1><pre>${escaped}</pre><script type="module" src="/@vite/client"></script>`,
  )
}
