import type { NavigateOptions } from '../render/context.js'
import { createMatcher } from '../routes/match.js'
import { decodeFrameBytes } from '../wire/decode-bytes.js'
import { DATA_CONTENT_TYPE, dataUrl } from '../wire/protocol.js'
import type { NavigationPayload } from '../wire/protocol.js'
import { keyOf, newKey, saveScroll, stateFor } from './history.js'
import type { Entry, RouterCore } from './router.js'
import { loadView, makeEntry, prefetchView } from './view.js'
import type { ClientRoutes, ViewTarget } from './view.js'

/** Redirects followed within one navigation before it is called a loop. */
const MAX_REDIRECTS = 10
/** Pages kept for back/forward, newest last. */
const CACHE_SIZE = 20
/** How long a prefetched data response may be used by a navigation, counted from its request: never shown stale. */
export const PREFETCH_FRESH_MS = 5000
/** Prefetched data responses kept at once; the oldest is dropped (and its request aborted) past this. */
const PREFETCH_MAX = 8

class NavigationCancelled extends Error {}

/** Reads a stream to its end; rejects if it was cut. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader()
  while (!(await reader.read()).done) {
    // Only the end matters here.
  }
}

/** What the router calls once this module is loaded (on the first sign that the user will navigate). */
export interface Navigation {
  navigate(href: string, options: NavigateOptions & { replace: boolean }): Promise<void>
  popState(state: unknown): void
  /** Loads the target's code; with `data`, also starts its data request, used by a navigation within PREFETCH_FRESH_MS. */
  prefetch(href: string, options?: { data?: boolean }): void
}

/** A data request made ahead of a navigation. */
interface Prefetched {
  at: number
  response: Promise<Response>
  controller: AbortController
}

/**
 * Client navigation: fetches the next page's data and modules in parallel, lets only the latest
 * navigation win, and keeps a back/forward cache. A chunk of its own, so a page that is only read
 * never downloads it.
 */
export function createNavigation(routes: ClientRoutes, core: RouterCore): Navigation {
  const match = createMatcher(routes.table.routes)
  const cache = new Map<string, Entry>([[core.key, core.current().entry]])
  // Entries whose data stream did not finish (cut when the user left the page): back/forward fetches them again.
  const unfinished = new WeakSet<Entry>()
  const prefetched = new Map<string, Prefetched>()
  let seq = 0
  /** The navigation being loaded, not shown yet. */
  let inFlight: AbortController | undefined
  /** The data stream of the page shown, cut when another page is shown (not before: it is still on screen). */
  let showing: AbortController | undefined

  const dataRequest = (target: string, signal: AbortSignal, purpose?: string) =>
    fetch(dataUrl(target), {
      signal,
      headers: { accept: DATA_CONTENT_TYPE, ...(purpose ? { purpose } : {}) },
      credentials: 'same-origin',
    })

  /** The fresh prefetched response for a target, taken once; stale ones are dropped. */
  const takePrefetched = (target: string, signal: AbortSignal): Promise<Response> | undefined => {
    // Stale answers nobody took are dropped now, so no request stays open for nothing.
    for (const [key, held] of prefetched) {
      if (key !== target && Date.now() - held.at > PREFETCH_FRESH_MS) {
        prefetched.delete(key)
        held.controller.abort()
      }
    }
    const hit = prefetched.get(target)
    if (!hit) return undefined
    prefetched.delete(target)
    if (Date.now() - hit.at > PREFETCH_FRESH_MS) return void hit.controller.abort()
    signal.addEventListener('abort', () => hit.controller.abort(signal.reason), { once: true })
    return hit.response
  }

  /** Shows an entry: the page left behind stops streaming, and the new one's stream (if any) is the one to cut next. */
  const show = (controller: AbortController | undefined) => {
    if (showing !== controller) showing?.abort(new NavigationCancelled('the page was left'))
    showing = controller
    if (inFlight === controller) inFlight = undefined
  }

  const remember = (k: string, entry: Entry) => {
    cache.delete(k)
    cache.set(k, entry)
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  }

  /** Fetches the target's data (first frame only) while its modules load, and builds the entry. */
  const load = async (
    path: string,
    signal: AbortSignal,
    redirects: number,
  ): Promise<{ entry: Entry } | { document: string }> => {
    const url = new URL(path, location.href)
    const found = match(url.pathname)
    // Start the route's modules now, in parallel with the data request.
    const early = found ? loadView(routes, { kind: 'page', id: found.route.id }) : undefined
    early?.catch(() => {})
    const target = url.pathname + url.search
    const res = await (takePrefetched(target, signal) ?? dataRequest(target, signal))
    if (!res.ok || !res.body) throw new Error(`Navigation data for ${url.pathname} failed with HTTP ${res.status}`)
    const stream = { done: false, entry: undefined as Entry | undefined }
    // The decoder stops reading once it has what it needs; the other branch reads the response to its end,
    // so the request finishes and we learn whether every frame arrived (or the stream was cut).
    const [body, rest] = res.body.tee()
    drain(rest).then(
      () => {
        stream.done = true
        if (stream.entry) unfinished.delete(stream.entry)
      },
      () => {},
    )
    const { route, data } = await decodeFrameBytes<NavigationPayload>(body)
    // Values the server held the first frame for (the shell budget) came in the same chunk: one task lets
    // the decoder settle them before the view renders, so their fallback never shows.
    await new Promise((next) => setTimeout(next, 0))
    const built = await loadEntry(url, route, data, found, early, signal, redirects)
    if (route.kind !== 'redirect' && 'entry' in built && !stream.done) {
      stream.entry = built.entry
      unfinished.add(built.entry)
    }
    return built
  }

  /** What the first frame says to show: another document, a redirect to follow, or an entry to render. */
  const loadEntry = async (
    url: URL,
    route: NavigationPayload['route'],
    data: unknown,
    found: ReturnType<typeof match>,
    early: ReturnType<typeof loadView> | undefined,
    signal: AbortSignal,
    redirects: number,
  ): Promise<{ entry: Entry } | { document: string }> => {
    const path = url.pathname + url.search + url.hash
    if (route.kind === 'document') return { document: url.href }
    if (route.kind === 'redirect') {
      const next = new URL(route.location, url)
      if (next.origin !== location.origin) return { document: next.href }
      if (redirects >= MAX_REDIRECTS) {
        const error = {
          name: 'Error',
          message: `Too many redirects (more than ${MAX_REDIRECTS}) while navigating to ${path}; the last one pointed to ${next.pathname}. Check the loaders for a redirect loop.`,
        }
        return buildEntry(url, { kind: 'error', error }, undefined, {}, core.current().entry.props.htmlAttrs)
      }
      return load(next.pathname + next.search + next.hash, signal, redirects + 1)
    }
    const target: ViewTarget =
      route.kind === 'page'
        ? { kind: 'page', id: route.id }
        : route.kind === 'not-found'
          ? { kind: 'not-found' }
          : { kind: 'error', error: route.error }
    const params = route.kind === 'page' ? route.params : {}
    return buildEntry(
      url,
      target,
      target.kind === 'page' && found?.route.id === target.id ? early : undefined,
      params,
      route.htmlAttrs,
      data,
    )
  }

  /** Loads the view's modules (or takes the ones already loading) and assembles the entry to render. */
  const buildEntry = async (
    url: URL,
    target: ViewTarget,
    early: ReturnType<typeof loadView> | undefined,
    params: Entry['props']['state']['params'],
    htmlAttrs: Entry['props']['htmlAttrs'],
    data?: unknown,
  ): Promise<{ entry: Entry }> => {
    const loaded = await (early ?? loadView(routes, target))
    const place = {
      pathname: url.pathname,
      search: url.search,
      hash: url.hash,
      params,
      htmlAttrs,
      flushHint: core.flushHint,
    }
    return { entry: makeEntry(loaded, place, data) }
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
      show(controller)
      core.publish({
        entry: result.entry,
        isNavigating: false,
        scroll:
          options.scroll === false
            ? { type: 'none' }
            : { type: 'top', hash: new URL(result.entry.url, location.href).hash },
      })
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
    // A page whose data stream was cut when it was left is fetched again, never shown with our cancellation as its error.
    const found = k ? cache.get(k) : undefined
    const cached = found && !unfinished.has(found) ? found : undefined
    inFlight?.abort(new NavigationCancelled('superseded by history navigation'))
    inFlight = undefined
    const id = ++seq
    if (k) core.key = k
    if (cached) {
      show(undefined)
      return core.publish({ entry: cached, isNavigating: false, scroll: { type: 'restore', key: core.key } })
    }
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
        show(controller)
        core.publish({ entry: result.entry, isNavigating: false, scroll: { type: 'restore', key: core.key } })
      },
      () => {
        if (id === seq && !controller.signal.aborted) location.reload()
      },
    )
  }

  const prefetch = (href: string, options?: { data?: boolean }) => {
    const url = new URL(href, location.href)
    if (url.origin !== location.origin) return
    const found = match(url.pathname)
    if (!found || found.route.kind !== 'page') return
    prefetchView(routes, { kind: 'page', id: found.route.id })
    const target = url.pathname + url.search
    const current = new URL(core.current().entry.url, location.href)
    if (!options?.data || target === current.pathname + current.search) return
    const held = prefetched.get(target)
    if (held && Date.now() - held.at <= PREFETCH_FRESH_MS) return
    held?.controller.abort()
    const controller = new AbortController()
    const response = dataRequest(target, controller.signal, 'prefetch')
    response.catch(() => {})
    prefetched.delete(target)
    prefetched.set(target, { at: Date.now(), response, controller })
    if (prefetched.size > PREFETCH_MAX) {
      const [oldest, dropped] = prefetched.entries().next().value as [string, Prefetched]
      prefetched.delete(oldest)
      dropped.controller.abort()
    }
  }

  return { navigate, popState, prefetch }
}
