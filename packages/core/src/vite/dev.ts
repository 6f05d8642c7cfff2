import { createServer as createHttpServer } from 'node:http'
import type { Server, ServerResponse } from 'node:http'
import { resolve, sep } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { createServer, mergeConfig } from 'vite'
import type { ViteDevServer } from 'vite'
import { createRequestHandler } from '../node/request-handler.js'
import { serverClasses } from '../node/http.js'
import { serverChain } from '../node/middleware.js'
import type { Middleware, ServerBuild } from '../server/build-types.js'
import { loadParetoConfig } from './load-config.js'
import { baseViteConfig } from './vite-config.js'
import { DEV_CLIENT_ENTRY_URL, SERVER_ENTRY } from './virtual.js'
import { createDevAssetResolver } from './dev-assets.js'
import { createBrowserErrorLocator, createErrorLocator } from './dev-errors.js'
import { setErrorLocator, sourceBlock } from '../data/errors.js'
import type { ErrorSource } from '../wire/global.js'
import { CODE_CHANGED_EVENT, LOCATE_EVENT, LOCATED_EVENT, VITE_CLIENT_URL } from '../shared/dev-events.js'

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
  // Errors name their place in the source (file, line, column, a code frame) in the terminal and the browser.
  const locate = createErrorLocator(vite, root)
  setErrorLocator(locate)
  watchForErrorPages(vite)
  answerLocateRequests(vite, root)
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
    bootstrapModules: [VITE_CLIENT_URL, DEV_CLIENT_ENTRY_URL],
    assets,
  })
  // The user's app.ts is reloaded with the rest of the code on every request.
  const app: Middleware = (req, res, next) => {
    load().then(
      (b) => (b.app ? b.app(req, res, next) : next()),
      (error) => devFailure(res as ServerResponse, error, locate(error)),
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

/**
 * Tells open pages that a project file changed (and so the next request runs new code): an error page then
 * loads again by itself, even when the fix is in a file the browser never loaded (a loader, a broken page).
 */
function watchForErrorPages(vite: ViteDevServer): void {
  let timer: NodeJS.Timeout | undefined
  vite.watcher.on('all', (event) => {
    if (event !== 'change' && event !== 'add' && event !== 'unlink') return
    // One message for the burst of events an editor's save makes; sent after Vite has invalidated the modules.
    clearTimeout(timer)
    timer = setTimeout(() => vite.ws.send({ type: 'custom', event: CODE_CHANGED_EVENT }), 50)
  })
}

/** Answers the pages' LOCATE_EVENT: an error thrown in the browser, mapped to its place in the source. */
function answerLocateRequests(vite: ViteDevServer, root: string): void {
  const locate = createBrowserErrorLocator(vite, root)
  vite.environments.client.hot.on(LOCATE_EVENT, (data: { id?: unknown; stack?: unknown }, client) => {
    const { id, stack } = data ?? {}
    if (typeof id !== 'number' || typeof stack !== 'string') return
    const answer = (source: ErrorSource | undefined) => {
      // The terminal shows it too, as it does the server's own errors.
      console.error(`[pareto] error while rendering in the browser\n${sourceBlock(source)}${stack}`)
      client.send({ type: 'custom', event: LOCATED_EVENT, data: { id, source } })
    }
    locate(stack).then(answer, () => answer(undefined))
  })
}

const escapeHtml = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)

/** The page for an app that could not load at all (its app.ts, error page or config is broken), kept up to date. */
function devFailure(res: ServerResponse, error: unknown, source: ErrorSource | undefined): void {
  const message = stripVTControlCharacters(error instanceof Error ? (error.stack ?? error.message) : String(error))
  const at = source ? `${source.file}:${source.line}:${source.column}` : ''
  console.error(`[pareto] could not load the app:\n${source ? `${at}\n${source.frame}\n\n` : ''}${message}`)
  res.statusCode = 500
  res.setHeader('content-type', 'text/html; charset=utf-8')
  const where = source
    ? `<p><code data-pareto-error-location>${escapeHtml(at)}</code></p><pre data-pareto-error-frame>${escapeHtml(source.frame)}</pre>`
    : ''
  // Loads again once a file changes, as the error pages of the app do.
  const reload = `import { createHotContext } from '${VITE_CLIENT_URL}'; createHotContext('/@pareto/app-failed').on('${CODE_CHANGED_EVENT}', () => location.reload())`
  res.end(
    `<!DOCTYPE html><title>Pareto: the app failed to load</title><h1>The app failed to load</h1><p>Fix the error below and save: this page loads again by itself.</p>${where}<pre>${escapeHtml(message)}</pre><script type="module">${reload}</script>`,
  )
}
