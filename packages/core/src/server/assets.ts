import type { RouteAssets } from '../render/app.js'

/** One entry of Vite's build manifest (`.vite/manifest.json`). */
export interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}

export type ViteManifest = Record<string, ManifestChunk>

/** What the document needs to boot a route: the entry module, and the modules and styles to hint. */
export interface AssetResolver {
  entry: string
  forFiles(files: string[]): RouteAssets
}

/**
 * Reads Vite's manifest once and answers, per set of source files, the chunks they import (to modulepreload)
 * and their CSS. `prefix` is the source path of the app directory as Vite keys it, e.g. `app/`.
 */
export function createAssetResolver(manifest: ViteManifest, prefix: string, base = '/'): AssetResolver {
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)
  if (!entryKey)
    throw new Error(
      'The client build manifest has no entry chunk. Run `pareto build` again; if it persists, this is a Pareto bug: please report it.',
    )
  const url = (file: string) => base + file

  const collect = (key: string, modules: Set<string>, css: Set<string>, seen: Set<string>) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) return
    modules.add(url(chunk.file))
    for (const c of chunk.css ?? []) css.add(url(c))
    for (const i of chunk.imports ?? []) collect(i, modules, css, seen)
  }

  const entryModules = new Set<string>()
  const entryCss = new Set<string>()
  collect(entryKey, entryModules, entryCss, new Set())
  const entry = url(manifest[entryKey].file)
  const cache = new Map<string, { modules: string[]; css: string[] }>()

  return {
    entry,
    forFiles(files) {
      const cacheKey = files.join('\n')
      let hit = cache.get(cacheKey)
      if (!hit) {
        const modules = new Set<string>(entryModules)
        const css = new Set<string>(entryCss)
        const seen = new Set<string>()
        for (const f of files) collect(prefix + f, modules, css, seen)
        modules.delete(entry)
        hit = { modules: [...modules], css: [...css] }
        cache.set(cacheKey, hit)
      }
      return hit
    },
  }
}
