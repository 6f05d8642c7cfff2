import { createElement, lazy, Suspense } from 'react'
import type { ComponentType, ReactNode } from 'react'
import type { View } from '../render/app.js'
import type { HeadComponent } from '../render/head.js'
import type { ShownError } from '../render/error-boundary.js'
import type { RouteEntry, RouteTable } from '../routes/types.js'
import { errorFromWire } from '../wire/error.js'
import type { HtmlAttributes } from '../wire/global.js'
import { documentHead } from '../render/head.js'
import type { Params } from '../routes/types.js'
import type { Entry } from './router.js'
import type { RouteData } from '../render/context.js'
import { allFiles, viewFiles } from '../routes/view-files.js'
import type { ViewFiles } from '../routes/view-files.js'
import type { WireErrorShape } from '../wire/global.js'

/** A lazy import of one route file, as the generated client entry provides it. */
export type ModuleLoader = () => Promise<Record<string, unknown>>

/** The page routes and a lazy import per route file. */
export interface ClientRoutes {
  table: RouteTable
  load: Record<string, ModuleLoader>
  /** The id of this client build (absent in dev): navigation data from another build is not rendered with these modules. */
  build?: string
}

/** Which view to show: a route's page, not-found, or the error page. */
export type ViewTarget =
  { kind: 'page'; id: string } | { kind: 'not-found' } | { kind: 'error'; error: WireErrorShape; bare?: boolean }

type Layout = ComponentType<{ children?: ReactNode }>

function routeById(routes: ClientRoutes, id: string): RouteEntry {
  const route = routes.table.routes.find((r) => r.id === id)
  if (!route)
    throw new Error(
      `The server answered for route ${id}, which this client build does not know. Reload the page; if it persists, rebuild the app.`,
    )
  return route
}

/** The route files of a target: the same list the server hints (routes/view-files.ts). */
function filesOf(routes: ClientRoutes, target: ViewTarget): ViewFiles {
  return viewFiles(
    routes.table,
    target.kind === 'page' ? { kind: 'page', route: routeById(routes, target.id) } : target,
  )
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

/** A view with its modules loaded, ready for ParetoApp. */
export interface LoadedView {
  view: View
  heads: { component: HeadComponent; file: string }[]
  errorPage: ComponentType<{ error: ShownError }>
}

/** Loads a view's modules (in parallel) and assembles what ParetoApp renders for it. */
export async function loadView(routes: ClientRoutes, target: ViewTarget): Promise<LoadedView> {
  const files = filesOf(routes, target)
  const { table } = routes
  // The built-in pages are in a chunk of their own, loaded with the view that shows them.
  const builtinPage = !files.page && target.kind !== 'page' ? builtin() : undefined
  const [layouts, [own], headComponents, [appErrorPage], builtins] = await Promise.all([
    defaults(routes, files.layouts),
    defaults(routes, files.page ? [files.page] : []),
    defaults(routes, files.heads),
    defaults(routes, table.error ? [table.error] : []),
    builtinPage,
  ])
  const heads = (headComponents as HeadComponent[]).map((component, i) => ({ component, file: files.heads[i] }))
  const errorPage = (appErrorPage as ComponentType<{ error: ShownError }> | undefined) ?? BuiltinErrorWhenShown
  const around = layouts as Layout[]
  if (target.kind === 'page')
    return { view: { kind: 'page', page: own as ComponentType, layouts: around, files }, heads, errorPage }
  if (target.kind === 'not-found')
    return {
      view: { kind: 'not-found', page: (own as ComponentType) ?? builtins!.BuiltinNotFound, layouts: around, files },
      heads,
      errorPage,
    }
  const page = (own as ComponentType<{ error: ShownError }>) ?? builtins!.BuiltinError
  return {
    view: { kind: 'error', page, layouts: around, error: errorFromWire(target.error), files },
    heads,
    errorPage,
  }
}

/** Starts loading a view's modules without waiting: JavaScript and CSS arrive before they are needed. */
export function prefetchView(routes: ClientRoutes, target: ViewTarget): void {
  for (const f of allFiles(filesOf(routes, target))) routes.load[f]().catch(() => {})
}

/** Where an entry is and what it shows: the one way the first page and every navigation build it. */
export interface EntryPlace {
  pathname: string
  search: string
  hash: string
  params: Params
  htmlAttrs: HtmlAttributes
  flushHint?: boolean
}

/** A rendered page for the router: a loaded view with each route file's data and the action's, at a place. */
export function makeEntry(loaded: LoadedView, place: EntryPlace, data: RouteData, actionData?: unknown): Entry {
  const { pathname, search, params } = place
  const page = loaded.view.files.page
  return {
    url: pathname + search + place.hash,
    props: {
      state: { pathname, search, params, data, actionData },
      view: loaded.view,
      headTags: documentHead(loaded.heads, { loaderData: page === undefined ? undefined : data[page], params }),
      htmlAttrs: place.htmlAttrs,
      errorPage: loaded.errorPage,
      flushHint: place.flushHint,
    },
  }
}
