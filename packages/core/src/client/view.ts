import { createElement, lazy, Suspense } from 'react'
import type { ComponentType, ReactNode } from 'react'
import type { View } from '../render/app.js'
import type { HeadComponent } from '../render/head.js'
import type { ShownError } from '../render/error-boundary.js'
import type { RouteEntry, RouteTable } from '../routes/types.js'
import { errorFromWire } from '../wire/error.js'
import type { WireErrorShape } from '../wire/global.js'

/** A lazy import of one route file, as the generated client entry provides it. */
export type ModuleLoader = () => Promise<Record<string, unknown>>

/** The page routes and a lazy import per route file. */
export interface ClientRoutes {
  table: RouteTable
  load: Record<string, ModuleLoader>
}

/** Which view to show: a route's page, not-found, or the error page. */
export type ViewTarget = { kind: 'page'; id: string } | { kind: 'not-found' } | { kind: 'error'; error: WireErrorShape; bare?: boolean }

type Layout = ComponentType<{ children?: ReactNode }>

function routeById(routes: ClientRoutes, id: string): RouteEntry {
  const route = routes.table.routes.find((r) => r.id === id)
  if (!route) throw new Error(`The server answered for route ${id}, which this client build does not know. Reload the page; if it persists, rebuild the app.`)
  return route
}

/** The route files a view needs (layouts, page, heads), for loading or prefetching. */
export function viewFiles(routes: ClientRoutes, target: ViewTarget): { main: string[]; heads: string[] } {
  const { table } = routes
  if (target.kind === 'page') {
    const route = routeById(routes, target.id)
    return { main: [route.file, ...route.layouts], heads: route.heads }
  }
  if (target.kind === 'not-found') {
    return { main: [table.notFound, table.rootLayout].filter((f): f is string => !!f), heads: table.rootHead ? [table.rootHead] : [] }
  }
  // The error page sits in the root layout, with the root head, unless the server had to show it alone.
  const around = target.bare ? [] : [table.rootLayout]
  return { main: [table.error, ...around].filter((f): f is string => !!f), heads: table.rootHead && !target.bare ? [table.rootHead] : [] }
}

async function defaults(routes: ClientRoutes, files: string[]): Promise<unknown[]> {
  return Promise.all(files.map((f) => routes.load[f]().then((m) => m.default)))
}

const builtin = () => import('../render/builtin.js')
const LazyBuiltinError = lazy(() => builtin().then((m) => ({ default: m.BuiltinError })))

/** The built-in error page for an app without error.tsx: fetched only if an error reaches the root boundary. */
function BuiltinErrorWhenShown(props: { error: ShownError }): ReactNode {
  return createElement(Suspense, { fallback: null }, createElement(LazyBuiltinError, props))
}

/** Loads a view's modules (in parallel) and assembles what ParetoApp renders for it. */
export async function loadView(
  routes: ClientRoutes,
  target: ViewTarget,
): Promise<{ view: View; heads: { component: HeadComponent; file: string }[]; errorPage: ComponentType<{ error: ShownError }> }> {
  const files = viewFiles(routes, target)
  const { table } = routes
  // The built-in pages are in a chunk of their own, loaded with the view that shows them.
  const builtinPage = (target.kind === 'not-found' && !table.notFound) || (target.kind === 'error' && !table.error) ? builtin() : undefined
  const [main, headComponents, [appErrorPage], builtins] = await Promise.all([
    defaults(routes, files.main),
    defaults(routes, files.heads),
    defaults(routes, table.error ? [table.error] : []),
    builtinPage,
  ])
  const heads = (headComponents as HeadComponent[]).map((component, i) => ({ component, file: files.heads[i] }))
  const errorPage = (appErrorPage as ComponentType<{ error: ShownError }> | undefined) ?? BuiltinErrorWhenShown
  if (target.kind === 'page') {
    const [page, ...layouts] = main
    return { view: { kind: 'page', page: page as ComponentType, layouts: layouts as Layout[] }, heads, errorPage }
  }
  if (target.kind === 'not-found') {
    const page = table.notFound ? (main[0] as ComponentType) : builtins!.BuiltinNotFound
    const layout = table.rootLayout ? main[table.notFound ? 1 : 0] : undefined
    return { view: { kind: 'not-found', page, layouts: layout ? [layout as Layout] : [] }, heads, errorPage }
  }
  const page = table.error ? (main[0] as ComponentType<{ error: ShownError }>) : builtins!.BuiltinError
  const layout = table.rootLayout && !target.bare ? main[table.error ? 1 : 0] : undefined
  return { view: { kind: 'error', page, layouts: layout ? [layout as Layout] : [], error: errorFromWire(target.error) }, heads, errorPage }
}

/** Starts loading a view's modules without waiting: JavaScript and CSS arrive before they are needed. */
export function prefetchView(routes: ClientRoutes, target: ViewTarget): void {
  const files = viewFiles(routes, target)
  for (const f of [...files.main, ...files.heads]) routes.load[f]().catch(() => {})
}
