import { useLayoutEffect, useSyncExternalStore } from 'react'
import type { ReactNode } from 'react'
import { ParetoApp } from '../render/app.js'
import type { AppProps } from '../render/app.js'
import type { Navigator, NavigateOptions } from '../render/context.js'
import { documentHead } from '../render/head.js'
import { createMatcher } from '../routes/match.js'
import { decodeFrameBytes } from '../wire/decode.js'
import { DATA_CONTENT_TYPE, dataUrl } from '../wire/protocol.js'
import type { NavigationPayload } from '../wire/protocol.js'
import { keyOf, newKey, savedScroll, saveScroll, stateFor } from './history.js'
import { loadView, prefetchView } from './view.js'
import type { ClientRoutes, ViewTarget } from './view.js'

/** One rendered page: what ParetoApp shows for a URL. */
export interface Entry {
  url: string
  props: Omit<AppProps, 'navigator'>
}

type ScrollAction = { type: 'top'; hash: string } | { type: 'restore'; key: string } | { type: 'none' }

interface Snapshot {
  entry: Entry
  isNavigating: boolean
  scroll: ScrollAction
}

/** Redirects followed within one navigation before it is called a loop. */
const MAX_REDIRECTS = 10
/** Pages kept for back/forward, newest last. */
const CACHE_SIZE = 20

class NavigationCancelled extends Error {}

/**
 * The client router: renders the current entry, fetches the next one's data and modules in parallel,
 * lets only the latest navigation win, and keeps history, scroll and a back/forward cache.
 */
export function createRouter(routes: ClientRoutes, initial: Entry): { Root: () => ReactNode } {
  const match = createMatcher(routes.table.routes)
  const cache = new Map<string, Entry>()
  const listeners = new Set<() => void>()
  let key = keyOf(history.state) ?? newKey()
  history.replaceState(stateFor(key, history.state), '')
  history.scrollRestoration = 'manual'
  let snapshot: Snapshot = { entry: initial, isNavigating: false, scroll: { type: 'none' } }
  cache.set(key, initial)
  let seq = 0
  let inFlight: AbortController | undefined

  const publish = (next: Partial<Snapshot>) => {
    snapshot = { ...snapshot, ...next }
    for (const l of listeners) l()
  }

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
        return buildEntry(url, { kind: 'error', error }, undefined, {}, snapshot.entry.props.htmlAttrs)
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
        flushHint: initial.props.flushHint,
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
    publish({ isNavigating: true })
    try {
      const result = await load(target.pathname + target.search + target.hash, controller.signal, 0)
      if (id !== seq) return
      if ('document' in result) return void location.assign(result.document)
      saveScroll(key)
      const k = newKey()
      if (options.replace) history.replaceState(stateFor(k), '', result.entry.url)
      else history.pushState(stateFor(k), '', result.entry.url)
      key = k
      remember(k, result.entry)
      const scroll: ScrollAction = options.scroll === false ? { type: 'none' } : { type: 'top', hash: new URL(result.entry.url, location.href).hash }
      publish({ entry: result.entry, isNavigating: false, scroll })
    } catch (error) {
      if (id !== seq || controller.signal.aborted) return
      // The network or the server failed: let the browser load the page itself.
      console.warn(`[pareto] client navigation to ${target.pathname} failed, loading the page instead:`, error)
      location.assign(target.href)
    }
  }

  const onPopState = (event: PopStateEvent) => {
    const k = keyOf(event.state)
    const current = new URL(snapshot.entry.url, location.href)
    // A hash change within the same page: the browser scrolls; nothing to render.
    if (location.pathname === current.pathname && location.search === current.search && k === undefined) return
    saveScroll(key)
    const cached = k ? cache.get(k) : undefined
    inFlight?.abort(new NavigationCancelled('superseded by history navigation'))
    const id = ++seq
    if (k) key = k
    if (cached) return publish({ entry: cached, isNavigating: false, scroll: { type: 'restore', key: key } })
    // Not cached (older than the cache, or made before this page loaded): fetch it again.
    const controller = new AbortController()
    inFlight = controller
    publish({ isNavigating: true })
    load(location.pathname + location.search + location.hash, controller.signal, 0).then(
      (result) => {
        if (id !== seq) return
        if ('document' in result) return void location.assign(result.document)
        if (!k) {
          key = newKey()
          history.replaceState(stateFor(key, history.state), '')
        }
        remember(key, result.entry)
        publish({ entry: result.entry, isNavigating: false, scroll: { type: 'restore', key } })
      },
      () => {
        if (id === seq && !controller.signal.aborted) location.reload()
      },
    )
  }
  window.addEventListener('popstate', onPopState)
  // A reload or a visit to another site should come back to the same place.
  window.addEventListener('pagehide', () => saveScroll(key))

  const prefetch = (href: string) => {
    const url = new URL(href, location.href)
    if (url.origin !== location.origin) return
    const found = match(url.pathname)
    if (found && found.route.kind === 'page') prefetchView(routes, { kind: 'page', id: found.route.id })
  }

  const base = { navigate: (href: string, o: NavigateOptions & { replace: boolean }) => void navigate(href, o), back: () => history.back(), prefetch }
  const navigators: Record<'idle' | 'busy', Navigator> = { idle: { ...base, isNavigating: false }, busy: { ...base, isNavigating: true } }

  const subscribe = (l: () => void) => {
    listeners.add(l)
    return () => listeners.delete(l)
  }
  const getSnapshot = () => snapshot
  const initialSnapshot = snapshot

  function Root(): ReactNode {
    const snap = useSyncExternalStore(subscribe, getSnapshot, () => initialSnapshot)
    useLayoutEffect(() => {
      const s = snap.scroll
      if (s.type === 'top') {
        const el = s.hash ? document.getElementById(decodeURIComponent(s.hash.slice(1))) : null
        if (el) el.scrollIntoView()
        else window.scrollTo(0, 0)
      } else if (s.type === 'restore') {
        const at = savedScroll(s.key)
        window.scrollTo(at?.[0] ?? 0, at?.[1] ?? 0)
      }
    }, [snap.entry, snap.scroll])
    return <ParetoApp {...snap.entry.props} navigator={snap.isNavigating ? navigators.busy : navigators.idle} />
  }

  return { Root }
}
