import type { ComponentType, ReactNode } from 'react'
import type { RouteAssets, View } from '../render/app.js'
import { BuiltinError, BuiltinNotFound } from '../render/builtin.js'
import type { ShownError } from '../render/error-boundary.js'
import type { HeadComponent } from '../render/head.js'
import type { RouteEntry } from '../routes/types.js'
import { allFiles, viewFiles } from '../routes/view-files.js'
import type { ViewOf } from '../routes/view-files.js'
import { errorFromWire } from '../wire/error.js'
import type { WireErrorShape } from '../wire/global.js'
import type { PageEnv } from './request.js'

type Layout = ComponentType<{ children?: ReactNode }>
type Heads = { component: HeadComponent; file: string }[]

/** What a document shows for a view, and the scripts and styles its files need. */
export interface ViewPlan {
  view: View
  heads: Heads
  assets?: RouteAssets
}

function shown(env: PageEnv, file: string): string {
  return `${env.build.config.appDir}/${file}`
}

/** A route file's default export, checked to be a component, with an error naming the file. */
export function component<P>(env: PageEnv, file: string): ComponentType<P> {
  const value = env.build.modules[file]?.default
  if (typeof value !== 'function' && !(typeof value === 'object' && value !== null)) {
    throw new Error(
      `${shown(env, file)}: the default export must be a React component (a function returning JSX); found ${value === undefined ? 'no default export' : typeof value}.`,
    )
  }
  return value as ComponentType<P>
}

/** The app's error page, or the built-in one; the root boundary shows it for errors caught in the browser. */
export function errorPage(env: PageEnv): ComponentType<{ error: ShownError }> {
  return env.build.table.error ? component(env, env.build.table.error) : BuiltinError
}

function plan(env: PageEnv, of: ViewOf, error?: WireErrorShape): ViewPlan {
  const files = viewFiles(env.build.table, of)
  const layouts = files.layouts.map((f) => component<{ children?: ReactNode }>(env, f)) as Layout[]
  const heads = files.heads.map((file) => ({
    component: component(env, file) as unknown as HeadComponent,
    file: shown(env, file),
  }))
  const assets = env.assets?.forFiles(allFiles(files))
  if (of.kind === 'page')
    return { view: { kind: 'page', layouts, page: component(env, files.page!), files }, heads, assets }
  if (of.kind === 'not-found')
    return {
      view: { kind: 'not-found', layouts, page: files.page ? component(env, files.page) : BuiltinNotFound, files },
      heads,
      assets,
    }
  const page = errorPage(env)
  return {
    view: { kind: 'error', layouts, page, error: errorFromWire(error!), files },
    heads,
    assets,
  }
}

// A route's plan is fixed by its files: looked up once per route and build, not on every request.
const routePlans = new WeakMap<RouteEntry, { build: PageEnv['build']; plan: ViewPlan }>()

/** The plan of a page route. */
export function pagePlan(env: PageEnv, route: RouteEntry): ViewPlan {
  const cached = routePlans.get(route)
  if (cached?.build === env.build) return cached.plan
  const made = plan(env, { kind: 'page', route })
  routePlans.set(route, { build: env.build, plan: made })
  return made
}

/** The not-found page inside the root layout. */
export function notFoundPlan(env: PageEnv): ViewPlan {
  return plan(env, { kind: 'not-found' })
}

/** The error page inside the root layout with the root head, or alone (`bare`) when those failed themselves. */
export function errorPlan(env: PageEnv, error: WireErrorShape, bare: boolean): ViewPlan {
  return plan(env, { kind: 'error', bare }, error)
}
