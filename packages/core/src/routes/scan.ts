import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { compareRoutes, parseSegment, patternOf } from './segments.js'
import type { RouteEntry, RouteTable, Segment } from './types.js'

const EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js']
const ROOT_ONLY = ['not-found', 'error', 'document']

function findFile(files: Set<string>, base: string): string | undefined {
  for (const ext of EXTENSIONS) if (files.has(base + ext)) return base + ext
  return undefined
}

/**
 * Scans an app directory into a sorted route table.
 * Folders starting with `_` or `.` are private (never routes); `(group)` folders add layouts but no URL segment.
 */
export function scanRoutes(appDir: string, appDirName = 'app'): RouteTable {
  const routes: RouteEntry[] = []
  const table: RouteTable = { routes }

  const walk = (dir: string, rel: string, segments: Segment[], layouts: string[], heads: string[]): void => {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch (error) {
      throw new Error(
        `Could not read the app directory "${dir}": ${(error as Error).message}. Create it, or set appDir in pareto.config.ts.`,
      )
    }
    const files = new Set<string>()
    const dirs: string[] = []
    for (const name of names) {
      if (name.startsWith('.') || name.startsWith('_') || name === 'node_modules') continue
      if (statSync(join(dir, name)).isDirectory()) dirs.push(name)
      else files.add(name)
    }
    const relFile = (f: string) => (rel ? `${rel}/${f}` : f)
    const shown = (f: string) => `${appDirName}/${relFile(f)}`

    const layout = findFile(files, 'layout')
    const head = findFile(files, 'head')
    const here = {
      layouts: layout ? [...layouts, relFile(layout)] : layouts,
      heads: head ? [...heads, relFile(head)] : heads,
    }

    if (rel === '') {
      table.rootLayout = layout
      table.rootHead = head
      for (const base of ROOT_ONLY) {
        const f = findFile(files, base)
        if (f) table[base === 'not-found' ? 'notFound' : (base as 'error' | 'document')] = relFile(f)
      }
    } else {
      for (const base of ROOT_ONLY) {
        const f = findFile(files, base)
        if (f)
          throw new Error(
            `${shown(f)}: ${base} files are only read at the root of the app directory. Move it to ${appDirName}/${f}.`,
          )
      }
    }

    const page = findFile(files, 'page')
    const route = findFile(files, 'route')
    if (page && route) {
      throw new Error(
        `${shown(route)}: a folder cannot hold both page and route files, because both answer the same URL. Move the resource route to its own folder.`,
      )
    }
    const loaderFile = findFile(files, 'loader')
    if (page || route) {
      routes.push({
        id: patternOf(segments),
        kind: page ? 'page' : 'resource',
        segments,
        file: relFile((page ?? route)!),
        loaderFile: page && loaderFile ? relFile(loaderFile) : undefined,
        layouts: here.layouts,
        heads: here.heads,
      })
    }

    for (const name of dirs.sort()) {
      const seg = parseSegment(name, `${appDirName}/${relFile(name)}`)
      const last = segments[segments.length - 1]
      if (seg && last && (last.type === 'catchall' || last.type === 'optional')) {
        throw new Error(
          `${appDirName}/${relFile(name)}: a catch-all folder must be the last segment of a route. Move the files up into the catch-all folder.`,
        )
      }
      walk(join(dir, name), relFile(name), seg ? [...segments, seg] : segments, here.layouts, here.heads)
    }
  }

  walk(appDir, '', [], [], [])
  assertUnique(routes, appDirName)
  routes.sort(compareRoutes)
  return table
}

function assertUnique(routes: RouteEntry[], appDirName: string): void {
  const seen = new Map<string, RouteEntry>()
  for (const r of routes) {
    // Two groups can map the same URL; the second one could never be reached.
    const key = r.segments.map((s) => (s.type === 'static' ? s.value : s.type)).join('/')
    const prev = seen.get(key)
    if (prev) {
      throw new Error(
        `${appDirName}/${r.file} and ${appDirName}/${prev.file} both answer ${r.id}. Remove one of them or give it its own URL segment.`,
      )
    }
    seen.set(key, r)
  }
}
