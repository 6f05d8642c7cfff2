import { createMatcher } from '../routes/match.js'
import type { Params, RouteEntry, RouteTable } from '../routes/types.js'
import type { RouteModule } from '../server/build-types.js'
import type { StaticParams } from './types.js'

/** One page `pareto build` renders: its route, its params, and its URL. */
export interface StaticPage {
  route: RouteEntry
  /** The page file as messages show it, e.g. `app/blog/[slug]/page.tsx`. */
  shown: string
  params: Params
  /** The decoded URL path, the static manifest's key: `/blog/héllo`. */
  key: string
  /** The same path as a request carries it: `/blog/h%C3%A9llo`. */
  url: string
}

/** A page module's static-rendering exports, as the server build has them. */
interface StaticExports {
  config?: unknown
  staticParams?: unknown
}

const EXAMPLE_CONFIG = "export const config: RouteConfig = { render: 'static' }"

/** Whether a page module asks to be static; throws, naming the file, for a config that is not one. */
export function isStaticPage(mod: StaticExports, shown: string): boolean {
  const { config } = mod
  if (config === undefined) return false
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`${shown}: config must be an object, e.g. ${EXAMPLE_CONFIG}.`)
  }
  const render = (config as { render?: unknown }).render
  if (render === undefined || render === 'dynamic') return false
  if (render === 'static') return true
  throw new Error(
    `${shown}: config.render is ${JSON.stringify(render)}; it must be 'static' (built once, served as a file) or 'dynamic' (the default: rendered per request).`,
  )
}

/** The names of a route's params, in URL order. */
function paramNames(route: RouteEntry): string[] {
  return route.segments.flatMap((s) => (s.type === 'static' ? [] : [s.name]))
}

/** A problem with one URL segment a param gives, or undefined when it can be a file name and a URL segment. */
function segmentProblem(value: string): string | undefined {
  if (value === '') return 'is empty'
  if (value === '.' || value === '..') return `is "${value}", which is not a page name`
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(value)) return 'holds a control character or a backslash'
  return undefined
}

/**
 * The decoded segments of a static page's URL for one entry of staticParams; throws a message (without the
 * file, which the caller adds) when the entry does not fit the route.
 */
export function pageSegments(route: RouteEntry, params: unknown): { segments: string[]; params: Params } {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new Error(`returned ${JSON.stringify(params)} where an object of params was expected`)
  }
  const given = params as StaticParams
  const names = paramNames(route)
  const extra = Object.keys(given).filter((k) => !names.includes(k))
  if (extra.length) {
    throw new Error(
      `returned ${JSON.stringify(given)}, with ${extra.map((k) => `"${k}"`).join(', ')}, which the route ${route.id} has no param for`,
    )
  }
  const out: string[] = []
  const shownParams: Params = {}
  for (const seg of route.segments) {
    if (seg.type === 'static') {
      out.push(seg.value)
      continue
    }
    const value = given[seg.name]
    const where = `returned ${JSON.stringify(given)}: ${seg.name}`
    if (seg.type === 'dynamic') {
      if (typeof value !== 'string') throw new Error(`${where} must be a string`)
      const problem = segmentProblem(value) ?? (value.includes('/') ? 'holds a "/"' : undefined)
      if (problem) {
        throw new Error(
          `${where} ${problem}${value.includes('/') ? `; a [${seg.name}] param is one URL segment (use [...${seg.name}] for several)` : ''}`,
        )
      }
      out.push(value)
      shownParams[seg.name] = value
      continue
    }
    // A catch-all: a path or its segments; an optional one may be left out (the parent URL).
    if (value === undefined && seg.type === 'optional') {
      shownParams[seg.name] = undefined
      continue
    }
    const parts = typeof value === 'string' ? value.split('/') : value
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string') || parts.length === 0) {
      throw new Error(`${where} must be a path such as 'a/b' or its segments such as ['a', 'b']`)
    }
    for (const p of parts) {
      const problem = segmentProblem(p)
      if (problem) throw new Error(`${where} has a segment that ${problem}`)
    }
    out.push(...parts)
    shownParams[seg.name] = parts.join('/')
  }
  return { segments: out, params: shownParams }
}

/** The manifest key and request URL of a page with these decoded segments. */
export function pagePaths(segments: string[]): { key: string; url: string } {
  return { key: '/' + segments.join('/'), url: '/' + segments.map(encodeURIComponent).join('/') }
}

/**
 * Every static page of the app: each page route whose module exports `config = { render: 'static' }`, once, or
 * once per entry of its `staticParams()`. Throws, naming the file, for a static route with params but no
 * staticParams, staticParams on a page that is not static, and entries that do not fit the route.
 */
export async function planStaticPages(
  table: RouteTable,
  modules: Record<string, RouteModule & StaticExports>,
  appDir: string,
): Promise<StaticPage[]> {
  const match = createMatcher(table.routes)
  const pages: StaticPage[] = []
  const seen = new Map<string, string>()
  for (const route of table.routes) {
    if (route.kind !== 'page') continue
    const shown = `${appDir}/${route.file}`
    const mod = modules[route.file] ?? {}
    const isStatic = isStaticPage(mod, shown)
    const names = paramNames(route)
    const { staticParams } = mod
    if (staticParams !== undefined && typeof staticParams !== 'function') {
      throw new Error(
        `${shown}: staticParams must be a function returning the params of each page to build, e.g. export function staticParams() { return [{ ${names[0] ?? 'slug'}: 'hello' }] }.`,
      )
    }
    if (!isStatic) {
      if (staticParams) {
        throw new Error(
          `${shown} exports staticParams(), but the page is not static, so nothing would use it. Add ${EXAMPLE_CONFIG} to build its pages once, or remove staticParams.`,
        )
      }
      continue
    }
    let entries: unknown[]
    if (names.length === 0) {
      if (staticParams) {
        throw new Error(
          `${shown} exports staticParams(), but its URL (${route.id}) has no params: the page is built once. Remove staticParams.`,
        )
      }
      entries = [{}]
    } else {
      if (!staticParams) {
        throw new Error(
          `${shown} is static and its URL (${route.id}) has params, but it exports no staticParams() to say which pages to build. Add e.g. export function staticParams() { return [{ ${names[0]}: 'hello' }] } (one object per page), or remove config.render to render it per request.`,
        )
      }
      let listed: unknown
      try {
        listed = await (staticParams as () => unknown)()
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
        throw new Error(`${shown}: staticParams() threw while listing the pages to build:\n${message}`)
      }
      if (!Array.isArray(listed)) {
        throw new Error(
          `${shown}: staticParams() must return an array of params objects (one per page), e.g. [{ ${names[0]}: 'hello' }]; it returned ${typeof listed}.`,
        )
      }
      entries = listed
    }
    for (const entry of entries) {
      let planned: { segments: string[]; params: Params }
      try {
        planned = pageSegments(route, entry)
      } catch (error) {
        throw new Error(`${shown}: staticParams() ${(error as Error).message}.`)
      }
      const { key, url } = pagePaths(planned.segments)
      // The same page listed twice is built once.
      if (seen.get(key) === shown) continue
      const found = match(url)
      if (!found || found.route !== route) {
        const other = found ? `${appDir}/${found.route.file}` : 'no route'
        throw new Error(
          `${shown}: staticParams() lists ${key}, but that URL is answered by ${other}, so the page could never be reached. Leave it out of staticParams.`,
        )
      }
      seen.set(key, shown)
      pages.push({ route, shown, params: planned.params, key, url })
    }
  }
  return pages
}
