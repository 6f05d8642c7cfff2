import { RequestContext, runLoader } from '../data/loader.js'
import type { LoadOutcome } from '../data/loader.js'
import type { LoaderContext } from '../data/types.js'
import type { RouteData } from '../render/context.js'
import type { RouteEntry } from '../routes/types.js'
import type { ViewFiles } from '../routes/view-files.js'
import { isThenable } from '../shared/thenable.js'
import type { PageEnv, PageRequest } from './request.js'

type Loader = (ctx: LoaderContext) => unknown

/** One route file with a loader: its key in the page's data (the route file), where the loader is, the loader. */
export interface LoaderSlot {
  /** The layout or page file whose component reads this data (`blog/page.tsx`). */
  key: string
  /** The file the loader is exported from: the key itself, or the route's `loader.ts`. */
  file: string
  fn: Loader
  /** A layout's loader: the router may keep its data across navigations. */
  layout: boolean
}

/** What the loaders of a view came to: their data by route file, and the first outcome that was not data. */
export interface Loaded {
  data: RouteData
  /** A redirect, not-found, error or Response from any loader acts for the whole page: the first in route order. */
  stop?: Exclude<LoadOutcome, { kind: 'data' }> & { file: string }
}

const slotsByRoute = new WeakMap<RouteEntry, { build: PageEnv['build']; slots: LoaderSlot[] }>()

function slotsOf(env: PageEnv, layouts: string[], page?: { key: string; file: string }): LoaderSlot[] {
  const slots: LoaderSlot[] = []
  for (const key of layouts) {
    const fn = env.build.modules[key]?.loader as Loader | undefined
    if (typeof fn === 'function') slots.push({ key, file: key, fn, layout: true })
  }
  const fn = page && (env.build.modules[page.file]?.loader as Loader | undefined)
  if (page && typeof fn === 'function') slots.push({ key: page.key, file: page.file, fn, layout: false })
  return slots
}

/** The loaders of a page route, root to leaf: its layouts' and its own (from `loader.ts` when there is one). */
export function pageSlots(env: PageEnv, route: RouteEntry): LoaderSlot[] {
  const cached = slotsByRoute.get(route)
  if (cached?.build === env.build) return cached.slots
  const slots = slotsOf(env, route.layouts, { key: route.file, file: route.loaderFile ?? route.file })
  slotsByRoute.set(route, { build: env.build, slots })
  return slots
}

/** The loaders of a status view (not-found, error): its layouts' (the root layout's). */
export function viewSlots(env: PageEnv, files: ViewFiles): LoaderSlot[] {
  return slotsOf(env, files.layouts)
}

/**
 * Runs the loaders of a view, all at once, skipping the route files in `skip` (data the router keeps). A value
 * at once when every loader answers at once (a promise costs a turn per request), else a promise of it.
 */
export function runLoaders(r: PageRequest, slots: LoaderSlot[], skip?: ReadonlySet<string>): Loaded | Promise<Loaded> {
  // A page without loaders (a static-like page) makes no context at all.
  if (slots.length === 0) return { data: {} }
  const ctx = new RequestContext(r.req, r.res, r.params, r.cancel, r.body)
  // The common page: one loader, nothing to gather.
  if (slots.length === 1 && !skip?.has(slots[0].key)) {
    const [slot] = slots
    const outcome = runLoader(slot.fn, ctx, r.shown(slot.file))
    return isThenable(outcome) ? outcome.then((o) => gather(slots, [o])) : gather(slots, [outcome])
  }
  const ran: LoaderSlot[] = []
  const outcomes: (LoadOutcome | Promise<LoadOutcome>)[] = []
  let waiting = false
  for (const slot of slots) {
    if (skip?.has(slot.key)) continue
    const outcome = runLoader(slot.fn, ctx, r.shown(slot.file))
    waiting ||= isThenable(outcome)
    ran.push(slot)
    outcomes.push(outcome)
  }
  return waiting ? Promise.all(outcomes).then((all) => gather(ran, all)) : gather(ran, outcomes as LoadOutcome[])
}

function gather(slots: LoaderSlot[], outcomes: LoadOutcome[]): Loaded {
  const data: RouteData = {}
  let stop: Loaded['stop']
  for (let i = 0; i < slots.length; i++) {
    const outcome = outcomes[i]
    if (outcome.kind === 'data') {
      if (outcome.data !== undefined) data[slots[i].key] = outcome.data
    } else stop ??= { ...outcome, file: slots[i].file }
  }
  return stop ? { data, stop } : { data }
}
