import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseAst } from 'vite'
import { compareRoutes, parseSegment, patternOf } from './segments.js'
import type { RouteEntry, RouteTable, Segment } from './types.js'

const EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js']
const ROOT_ONLY = ['not-found', 'error', 'document']

function findFile(files: Set<string>, base: string): string | undefined {
  for (const ext of EXTENSIONS) if (files.has(base + ext)) return base + ext
  return undefined
}

/** The param folders met at one place in the URL (a folder and its groups), by kind, for the one-name rule. */
type ParamsAtLevel = Map<Segment['type'], { name: string; shown: string }>

/**
 * Scans an app directory into a sorted route table, reading page and layout sources for their exports.
 * Folders starting with `_` or `.` are private (never routes); `(group)` folders add layouts but no URL segment.
 */
export function scanRoutes(appDir: string, appDirName = 'app'): RouteTable {
  const routes: RouteEntry[] = []
  const table: RouteTable = { routes }

  const walk = (
    dir: string,
    rel: string,
    segments: Segment[],
    layouts: string[],
    heads: string[],
    level: ParamsAtLevel,
  ): void => {
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
    if (layout && exportsOf(join(dir, layout))?.has('action')) {
      throw new Error(
        `${shown(layout)} exports an action, but actions belong to pages: it would never run. Move it to a page.tsx (or the route's loader.ts), or to a route.ts for an endpoint; a layout may export a loader.`,
      )
    }
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
        `${shown(route)}: a folder cannot hold both page and route files, because both answer the same URL (${shown(page)} is there too). Move the resource route to its own folder, e.g. under ${appDirName}/api/.`,
      )
    }
    const pageExports = page ? exportsOf(join(dir, page)) : undefined
    if (page && pageExports && !pageExports.has('default')) {
      throw new Error(
        `${shown(page)} has no default export. A page's default export is the component that renders it: add \`export default function Page() { … }\` (or \`export { Page as default }\`).`,
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
      const seg = parseSegment(name, shown(name))
      const last = segments[segments.length - 1]
      if (seg && last && (last.type === 'catchall' || last.type === 'optional')) {
        throw new Error(
          `${shown(name)}: a catch-all folder must be the last segment of a route. Move the files up into the catch-all folder.`,
        )
      }
      if (seg && seg.type !== 'static') {
        const prev = level.get(seg.type)
        if (prev && prev.name !== seg.name) {
          const renamed = shown(name).slice(0, -name.length) + prev.shown.slice(prev.shown.lastIndexOf('/') + 1)
          throw new Error(
            `${prev.shown} and ${shown(name)} capture the same URL segment under two names (${prev.name} and ${seg.name}). Use one name: rename ${shown(name)} to ${renamed}, merging the two folders if they are in the same one.`,
          )
        }
        if (!prev) level.set(seg.type, { name: seg.name, shown: shown(name) })
      }
      // A group folder adds no URL segment, so its param folders sit at the same place in the URL as this folder's.
      const childLevel = seg ? new Map() : level
      walk(join(dir, name), relFile(name), seg ? [...segments, seg] : segments, here.layouts, here.heads, childLevel)
    }
  }

  walk(appDir, '', [], [], [], new Map())
  assertUnique(routes, appDirName)
  routes.sort(compareRoutes)
  return table
}

type Statement = ReturnType<typeof parseAst>['body'][number]

/**
 * The names a module exports as values (`default` included), read with Vite's parser; undefined when the
 * source does not parse, because Vite reports a syntax error better, with a code frame, when it loads the file.
 */
function exportsOf(file: string): Set<string> | undefined {
  const lang = file.endsWith('.tsx') ? 'tsx' : file.endsWith('.ts') ? 'ts' : 'jsx'
  let body: Statement[]
  try {
    body = parseAst(readFileSync(file, 'utf8'), { lang }).body
  } catch {
    return undefined
  }
  const names = new Set<string>()
  const nameOf = (n: { type: string; name?: string; value?: unknown }) =>
    n.type === 'Literal' ? String(n.value) : n.name!
  for (const node of body) {
    if (node.type === 'ExportDefaultDeclaration') names.add('default')
    else if (node.type === 'ExportAllDeclaration' && node.exported && node.exportKind !== 'type')
      names.add(nameOf(node.exported))
    else if (node.type === 'ExportNamedDeclaration' && node.exportKind !== 'type') {
      const decl = node.declaration
      if ((decl?.type === 'FunctionDeclaration' || decl?.type === 'ClassDeclaration') && decl.id)
        names.add(decl.id.name)
      if (decl?.type === 'VariableDeclaration') {
        for (const d of decl.declarations) if (d.id.type === 'Identifier') names.add(d.id.name)
      }
      for (const s of node.specifiers) if (s.exportKind !== 'type') names.add(nameOf(s.exported))
    }
  }
  return names
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
