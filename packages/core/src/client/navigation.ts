import { documentHead } from '../render/head.js'
import type { NavigateOptions } from '../render/context.js'
import { createMatcher } from '../routes/match.js'
import { decodeFrameBytes } from '../wire/decode-bytes.js'
import { DATA_CONTENT_TYPE, dataUrl } from '../wire/protocol.js'
import type { NavigationPayload } from '../wire/protocol.js'
import { keyOf, newKey, saveScroll, stateFor } from './history.js'
import type { Entry, RouterCore } from './router.js'
import { loadView, prefetchView } from './view.js'
import type { ClientRoutes, ViewTarget } from './view.js'

/** Redirects followed within one navigation before it is called a loop. */
const MAX_REDIRECTS = 10
/** Pages kept for back/forward, newest last. */
const CACHE_SIZE = 20

class NavigationCancelled extends Error {}

/** What the router calls once this module is loaded (on the first sign that the user will navigate). */
export interface Navigation {
  navigate(href: string, options: NavigateOptions & { replace: boolean }): Promise<void>
  popState(state: unknown): void
  prefetch(href: string): void
}

/**
 * Client navigation: fetches the next page's data and modules in parallel, lets only the latest
 * navigation win, and keeps a back/forward cache. A chunk of its own, so a page that is only read
 * never downloads it.
 */
export function createNavigation(routes: ClientRoutes, core: RouterCore): Navigation {
  const match = createMatcher(routes.table.routes)
  const cache = new Map<string, Entry>([[core.key, core.current().entry]])
  let seq = 0
  let inFlight: AbortController | undefined

  const remember = (k: string, entry: Entry) => {
    cache.delete(k)
    cache.set(k, entry)
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  }

  /** Fetches the target's data (first frame only) while its modules load, and builds the entry. */
  const load = async (path: string, signal: AbortSignal, redirects: number): Promise<{ entry: Entry } | { document: string }> => {
    const url = new URL(path, location.href)
    const found = match(url.pathname)
    // Start the route's modules now, in parallel with the data request.
    const early = found ? loadView(routes, { kind: 'page', id: found.route.id }) : undefined
    early?.catch(() => {})
    const res = await fetch(dataUrl(url.pathname + url.search), { signal, headers: { accept: DATA_CONTENT_TYPE }, credentials: 'same-origin' })
    if (!res.ok || !res.body) throw new Error(`Navigation data for ${url.pathname} failed with HTTP ${res.status}`)
    const { route, data } = await decodeFrameBytes<NavigationPayload>(res.body)
    if (route.kind === 'document') return { document: url.href }
    if (route.kind === 'redirect') {
      const next = new URL(route.location, url)
      if (next.origin !== location.origin) return { document: next.href }
      if (redirects >= MAX_REDIRECTS) {
        const error = { name: 'Error', message: `Too many redirects (more than ${MAX_REDIRECTS}) while navigating to ${path}; the last one pointed to ${next.pathname}. Check the loaders for a redirect loop.` }
        return buildEntry(url, { kind: 'error', error }, undefined, {}, core.current().entry.props.htmlAttrs)
      }
      return load(next.pathname + next.search + next.hash, signal, redirects + 1)
    }
    const target: ViewTarget = route.kind === 'page' ? { kind: 'page', id: route.id } : route.kind === 'not-found' ? { kind: 'not-found' } : { kind: 'error', error: route.error }
    const params = route.kind === 'page' ? route.params : {}
    return buildEntry(url, target, target.kind === 'page' && found?.route.id === target.id ? early : undefined, params, route.htmlAttrs, data)
  }

  /** Loads the view's modules (or takes the ones already loading) and assembles the entry to render. */
  const buildEntry = async (url: URL, target: ViewTarget, early: ReturnType<typeof loadView> | undefined, params: Entry['props']['state']['params'], htmlAttrs: Entry['props']['htmlAttrs'], data?: unknown): Promise<{ entry: Entry }> => {
    const { view, heads, errorPage } = await (early ?? loadView(routes, target))
    const entry: Entry = {
      url: url.pathname + url.search + url.hash,
      props: {
        state: { pathname: url.pathname, search: url.search, params, loaderData: data },
        view,
        headTags: documentHead(heads, { loaderData: data, params }),
        htmlAttrs,
        errorPage,
        flushHint: core.flushHint,
      },
    }
    return { entry }
  }

  const navigate = async (href: string, options: NavigateOptions & { replace: boolean }): Promise<void> => {
    const target = new URL(href, location.href)
    if (target.origin !== location.origin) return void location.assign(target.href)
    const id = ++seq
    inFlight?.abort(new NavigationCancelled('superseded by a newer navigation'))
    const controller = new AbortController()
    inFlight = controller
    core.publish({ isNavigating: true })
    try {
      const result = await load(target.pathname + target.search + target.hash, controller.signal, 0)
      if (id !== seq) return
      if ('document' in result) return void location.assign(result.document)
      saveScroll(core.key)
      const k = newKey()
      if (options.replace) history.replaceState(stateFor(k), '', result.entry.url)
      else history.pushState(stateFor(k), '', result.entry.url)
      core.key = k
      remember(k, result.entry)
      core.publish({ entry: result.entry, isNavigating: false, scroll: options.scroll === false ? { type: 'none' } : { type: 'top', hash: new URL(result.entry.url, location.href).hash } })
    } catch (error) {
      if (id !== seq || controller.signal.aborted) return
      // The network or the server failed: let the browser load the page itself.
      console.warn(`[pareto] client navigation to ${target.pathname} failed, loading the page instead:`, error)
      location.assign(target.href)
    }
  }

  const popState = (state: unknown) => {
    const k = keyOf(state)
    const current = new URL(core.current().entry.url, location.href)
    // A hash change within the same page: the browser scrolls; nothing to render.
    if (location.pathname === current.pathname && location.search === current.search && k === undefined) return
    saveScroll(core.key)
    const cached = k ? cache.get(k) : undefined
    inFlight?.abort(new NavigationCancelled('superseded by history navigation'))
    const id = ++seq
    if (k) core.key = k
    if (cached) return core.publish({ entry: cached, isNavigating: false, scroll: { type: 'restore', key: core.key } })
    // Not cached (older than the cache, or made before this page loaded): fetch it again.
    const controller = new AbortController()
    inFlight = controller
    core.publish({ isNavigating: true })
    load(location.pathname + location.search + location.hash, controller.signal, 0).then(
      (result) => {
        if (id !== seq) return
        if ('document' in result) return void location.assign(result.document)
        if (!k) {
          core.key = newKey()
          history.replaceState(stateFor(core.key, history.state), '')
        }
        remember(core.key, result.entry)
        core.publish({ entry: result.entry, isNavigating: false, scroll: { type: 'restore', key: core.key } })
      },
      () => {
        if (id === seq && !controller.signal.aborted) location.reload()
      },
    )
  }

  const prefetch = (href: string) => {
    const url = new URL(href, location.href)
    if (url.origin !== location.origin) return
    const found = match(url.pathname)
    if (found && found.route.kind === 'page') prefetchView(routes, { kind: 'page', id: found.route.id })
  }

  return { navigate, popState, prefetch }
}
