import { isCSSRequest } from 'vite'
import type { EnvironmentModuleNode, ViteDevServer } from 'vite'
import type { AssetResolver } from '../server/assets.js'
import type { RouteAssets } from '../render/app.js'
import { findGlobalStyles } from './plugin.js'

/** CSS imports that are not stylesheets on the page (`?inline`, `?url`, `?raw` give the importer a string). */
const NOT_LINKED = /[?&](inline|url|raw)\b/

/**
 * The dev server's answer to "which stylesheets does this route need": the app's globals, then every CSS
 * module the route's files import (at any depth), found in the server's module graph after it loaded them.
 * Linked in the server-rendered head, so a dev page is styled before any script runs, as in production.
 */
export function createDevAssetResolver(vite: ViteDevServer, appDirAbs: string): AssetResolver {
  const graph = vite.environments.ssr.moduleGraph
  return {
    entry: '',
    forFiles(files: string[]): RouteAssets {
      const css: string[] = []
      const devIds: Record<string, string> = {}
      const add = (url: string, id: string) => {
        const href = url.includes('?') ? `${url}&direct` : `${url}?direct`
        if (devIds[href]) return
        css.push(href)
        devIds[href] = id
      }
      const globals = findGlobalStyles(appDirAbs)
      if (globals) add(urlOf(vite, globals), globals)
      const seen = new Set<EnvironmentModuleNode>()
      const walk = (mod: EnvironmentModuleNode | undefined) => {
        if (!mod || seen.has(mod)) return
        seen.add(mod)
        if (mod.id && isCSSRequest(mod.url)) {
          if (!NOT_LINKED.test(mod.url)) add(mod.url, mod.id)
          return
        }
        for (const dep of mod.importedModules) walk(dep)
      }
      for (const file of files) walk(graph.getModuleById(`${appDirAbs}/${file}`))
      return { modules: [], css, devIds }
    },
  }
}

/** The URL Vite's dev server serves a project file at. */
function urlOf(vite: ViteDevServer, file: string): string {
  const root = vite.config.root.replace(/\/$/, '')
  return file.startsWith(root + '/') ? file.slice(root.length) : `/@fs${file}`
}
