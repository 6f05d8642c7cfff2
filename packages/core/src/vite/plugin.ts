import { existsSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import type { Plugin, ViteDevServer } from 'vite'
import type { ResolvedConfig } from '../config.js'
import { scanRoutes } from '../routes/scan.js'
import { CLIENT_ENTRY, SERVER_ENTRY, clientEntryCode, serverEntryCode } from './virtual.js'
import { findParetoConfig } from './load-config.js'
import { devServerEntryCode } from './dev-entry.js'
import { BUILD_ID_PLACEHOLDER, stampBuildId } from './build-id.js'

/** Finds the optional `app.ts` (the user's Express app) at the project root. */
export function findAppFile(root: string): string | undefined {
  for (const name of ['app.ts', 'app.tsx', 'app.js', 'app.mjs']) {
    const file = join(root, name)
    if (existsSync(file)) return file
  }
  return undefined
}

/** The app-wide stylesheet names, at the root of the app directory, in the order they are looked for. */
const GLOBAL_STYLES = ['globals.css', 'global.css', 'globals.scss', 'global.scss']

/** The app's global stylesheet (`app/globals.css` and its variants), included on every page without an import. */
export function findGlobalStyles(appDirAbs: string): string | undefined {
  for (const name of GLOBAL_STYLES) {
    const file = `${appDirAbs}/${name}`
    if (existsSync(file)) return file
  }
  return undefined
}

/** The Vite plugin behind `pareto dev` and `pareto build`: generates the entries from the app directory. */
export function paretoPlugin(root: string, config: ResolvedConfig, options: { refreshPreamble: boolean }): Plugin {
  const appDirAbs = resolve(root, config.appDir).split(sep).join('/')
  const scan = () => scanRoutes(appDirAbs, config.appDir)
  let server: ViteDevServer | undefined
  /** The client build's id: `pareto build` builds the client first, and the server entry it builds next carries it. */
  let buildId: string | undefined

  const invalidate = () => {
    if (!server) return
    for (const env of Object.values(server.environments)) {
      for (const id of ['\0' + SERVER_ENTRY, '\0' + CLIENT_ENTRY]) {
        const mod = env.moduleGraph.getModuleById(id)
        if (mod) env.moduleGraph.invalidateModule(mod)
      }
    }
    server.ws.send({ type: 'full-reload' })
  }

  return {
    name: 'pareto:routes',
    enforce: 'pre',
    resolveId(id) {
      if (id === SERVER_ENTRY || id === CLIENT_ENTRY) return '\0' + id
      return undefined
    },
    load(id) {
      if (id === '\0' + SERVER_ENTRY) {
        const table = scan()
        const code = serverEntryCode(table, appDirAbs, config, findAppFile(root), findParetoConfig(root), buildId)
        // In dev a broken route file fails only its own routes, so the rest of the app can be worked on meanwhile.
        return server ? devServerEntryCode(code, table.error ? [`${appDirAbs}/${table.error}`] : []) : code
      }
      if (id === '\0' + CLIENT_ENTRY) {
        // The dev server has no build id: its navigation data names none, and the client compares nothing.
        const stamp = server ? undefined : BUILD_ID_PLACEHOLDER
        return clientEntryCode(scan(), appDirAbs, options.refreshPreamble, findGlobalStyles(appDirAbs), stamp)
      }
      return undefined
    },
    generateBundle(_options, bundle) {
      if (this.environment.config.consumer !== 'client') return
      const entry = Object.values(bundle).find((f) => f.type === 'chunk' && f.facadeModuleId === '\0' + CLIENT_ENTRY)
      if (entry) buildId = stampBuildId(bundle, entry.fileName)
    },
    configureServer(s) {
      // Route-convention mistakes stop `pareto dev` at start, rather than on the first request.
      scan()
      server = s
      // A new or removed route file changes the route table: regenerate both entries and reload the page.
      const onChange = (file: string) => {
        if (
          file
            .split(sep)
            .join('/')
            .startsWith(appDirAbs + '/')
        )
          invalidate()
      }
      s.watcher.on('add', onChange)
      s.watcher.on('unlink', onChange)
      s.watcher.on('addDir', onChange)
      s.watcher.on('unlinkDir', onChange)
    },
  }
}
