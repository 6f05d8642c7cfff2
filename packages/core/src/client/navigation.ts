import type { FetchResult, NavigateOptions, Submission, SubmitRequest } from '../render/context.js'
import { errorFromWire } from '../wire/error.js'
import { createMatcher } from '../routes/match.js'
import { decodeFrameBytes } from '../wire/decode-bytes.js'
import { DATA_CONTENT_TYPE, dataUrl, KEEP_HEADER, REVALIDATE_HEADER } from '../wire/protocol.js'
import type { NavigationPayload } from '../wire/protocol.js'
import { keyOf, newKey, saveScroll, stateFor } from './history.js'
import type { Entry, RouterCore } from './router.js'
import { getTarget, keptFiles, mergeData, submissionBody, submitNatively } from './submission.js'
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

/** A data request the server answered with an error status (a refusal, a failure): its status and text. */
class DataError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The modules of a view could not be loaded (another build's instance answered for them, say): `href` is loaded as a document. */
class ViewUnavailable extends Error {
  constructor(
    readonly href: string,
    cause: unknown,
  ) {
    super(`The modules of ${href} could not be loaded`, { cause })
  }
}

/** Loads a document in place of a client navigation: as a new history entry, or in place of the current one. */
function leave(href: string, history: 'push' | 'replace' | 'keep'): void {
  if (history === 'push') location.assign(href)
  else location.replace(href)
}

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
  /** A navigating submission: the action's result and the revalidated page in one response. */
  submit(submission: SubmitRequest): Promise<void>
  /** Re-runs the current page's loaders and shows their data in place. */
  refresh(): Promise<void>
  /** A fetcher's submission or load: no navigation and no history entry. */
  fetch(request: SubmitRequest | { method: 'GET'; action: string; signal?: AbortSignal }): Promise<FetchResult>
}

/** How a page's data is asked for: GET (keeping what the router has), or a submission with its body. */
interface DataInit {
  method: string
  body?: FormData | URLSearchParams
  /** A submission's action runs without the page's loaders after it (a fetcher posting to another page). */
  noRevalidate?: boolean
  /** Every loader runs again: nothing is kept, no prefetched answer is used (refresh). */
  fresh?: boolean
}

const GET: DataInit = { method: 'GET' }
const FRESH: DataInit = { method: 'GET', fresh: true }

/** What a navigation comes to: an entry to show (with the status the server gave), or a document to load. */
type Loaded = { entry: Entry; status: number } | { document: string }

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
  /** Counts page-data requests (navigations, submissions, fetchers): only the newest may show its data. */
  let dataSeq = 0
  /** The navigation being loaded, not shown yet. */
  let inFlight: AbortController | undefined
  /** The data stream of the page shown, cut when another page is shown (not before: it is still on screen). */
  let showing: AbortController | undefined

  const dataRequest = (
    target: string,
    signal: AbortSignal,
    init: DataInit = GET,
    kept: readonly string[] = [],
    purpose?: string,
  ) => {
    const headers: Record<string, string> = { accept: DATA_CONTENT_TYPE }
    if (purpose) headers.purpose = purpose
    if (kept.length) headers[KEEP_HEADER] = kept.join(',')
    if (init.noRevalidate) headers[REVALIDATE_HEADER] = '0'
    return fetch(dataUrl(target), { method: init.method, body: init.body, signal, headers, credentials: 'same-origin' })
  }

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

  /** Data from another build than this page's code (a rolling deploy): these modules may not render it. */
  const foreign = (payload: NavigationPayload): boolean =>
    payload.build !== undefined && routes.build !== undefined && payload.build !== routes.build

  /** Where an answer from another build leads, as a document: its redirect's target, else the page asked for. */
  const documentOf = (url: URL, route: NavigationPayload['route']): string =>
    route.kind === 'redirect' ? new URL(route.location, url).href : url.href

  const remember = (k: string, entry: Entry) => {
    cache.delete(k)
    cache.set(k, entry)
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  }

  /**
   * Fetches the target's data (first frame only) while its modules load, and builds the entry. The router keeps
   * the data of layouts whose params and query did not change (and, for a submission to the page shown, the
   * page's, used when the action is refused): the server does not run their loaders.
   */
  const load = async (path: string, signal: AbortSignal, redirects: number, init: DataInit = GET): Promise<Loaded> => {
    const url = new URL(path, location.href)
    const found = match(url.pathname)
    // Start the route's modules now, in parallel with the data request.
    const early = found ? loadView(routes, { kind: 'page', id: found.route.id }) : undefined
    early?.catch(() => {})
    const target = url.pathname + url.search
    const current = core.current().entry
    const here = new URL(current.url, location.href)
    const kept =
      found && found.route.kind === 'page' && !init.fresh
        ? keptFiles(
            current,
            { layouts: found.route.layouts, page: found.route.file, params: found.params, search: url.search },
            init.method !== 'GET' && here.pathname + here.search === target,
          )
        : []
    const res = await ((init.method === 'GET' && !init.fresh ? takePrefetched(target, signal) : undefined) ??
      dataRequest(target, signal, init, kept))
    if (!res.ok || !res.body) {
      const text = init.method === 'GET' ? '' : await res.text().catch(() => '')
      throw new DataError(res.status, text || `Navigation data for ${url.pathname} failed with HTTP ${res.status}`)
    }
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
    const payload = await decodeFrameBytes<NavigationPayload>(body)
    // Not rendered with this page's modules, a submission's answer included (its action has run): the document is.
    if (foreign(payload)) return { document: documentOf(url, payload.route) }
    const { route } = payload
    // Values the server held the first frame for (the shell budget) came in the same chunk: one task lets
    // the decoder settle them before the view renders, so their fallback never shows.
    await new Promise((next) => setTimeout(next, 0))
    // A navigation keeps its layouts' data even when a prefetch brought fresher; a submission shows what its action left.
    const data = mergeData(current.props.state.data, kept, payload.data, init.method === 'GET')
    const built = await loadEntry(url, route, data, payload.action, found, early, signal, redirects, init)
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
    data: Entry['props']['state']['data'],
    action: unknown,
    found: ReturnType<typeof match>,
    early: ReturnType<typeof loadView> | undefined,
    signal: AbortSignal,
    redirects: number,
    init: DataInit,
  ): Promise<Loaded> => {
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
        return buildEntry(url, { kind: 'error', error }, undefined, {}, core.current().entry.props.htmlAttrs, {}, 500)
      }
      // Followed with a GET, as the browser follows a 303; after an action every loader runs again.
      const fresh = init.method !== 'GET' || init.fresh
      return load(next.pathname + next.search + next.hash, signal, redirects + 1, fresh ? FRESH : GET)
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
      route.status,
      action,
    )
  }

  /** Loads the view's modules (or takes the ones already loading) and assembles the entry to render. */
  const buildEntry = async (
    url: URL,
    target: ViewTarget,
    early: ReturnType<typeof loadView> | undefined,
    params: Entry['props']['state']['params'],
    htmlAttrs: Entry['props']['htmlAttrs'],
    data: Entry['props']['state']['data'],
    status: number,
    action?: unknown,
  ): Promise<{ entry: Entry; status: number }> => {
    const loaded = await (early ?? loadView(routes, target)).catch((error: unknown) => {
      throw new ViewUnavailable(url.href, error)
    })
    const place = {
      pathname: url.pathname,
      search: url.search,
      hash: url.hash,
      params,
      htmlAttrs,
      flushHint: core.flushHint,
    }
    return { entry: makeEntry(loaded, place, data, action), status }
  }

  /**
   * A navigation, a navigating submission or a refresh: the newest aborts the one in flight and only the latest
   * is shown. `history` says what happens to the history entry: a new one, the current one replaced, or kept.
   */
  const go = async (
    href: string,
    o: { history: 'push' | 'replace' | 'keep'; scroll: boolean; viewTransition?: boolean },
    init: DataInit,
    submission?: Submission,
  ): Promise<void> => {
    const target = new URL(href, location.href)
    if (target.origin !== location.origin) return void location.assign(target.href)
    const id = ++seq
    ++dataSeq
    inFlight?.abort(new NavigationCancelled('superseded by a newer navigation'))
    const controller = new AbortController()
    inFlight = controller
    core.publish({ isNavigating: true, state: submission ? 'submitting' : 'loading', submission })
    let result: Loaded
    try {
      result = await load(target.pathname + target.search + target.hash, controller.signal, 0, init)
    } catch (error) {
      if (id !== seq || controller.signal.aborted) return
      // Expected while a deploy rolls: the document is the page of whichever build answers it.
      if (error instanceof ViewUnavailable) return leave(error.href, o.history)
      if (init.method === 'GET') {
        // The network or the server failed: let the browser load the page itself.
        console.warn(`[pareto] client navigation to ${target.pathname} failed, loading the page instead:`, error)
        return void location.assign(target.href)
      }
      // A submission cannot be sent again by a document load: its answer (a 403, a 413…) shows as the error page.
      const status = error instanceof DataError ? error.status : 500
      const shown = { name: 'Error', message: error instanceof Error ? error.message : String(error) }
      try {
        // The layouts around the error page keep the data they had: they read it, and a missing one would fail.
        const { state, htmlAttrs } = core.current().entry.props
        result = await buildEntry(target, { kind: 'error', error: shown }, undefined, {}, htmlAttrs, state.data, status)
      } catch {
        if (id === seq) leave(target.href, o.history)
        return
      }
      if (id !== seq) return
    }
    if (id !== seq) return
    if ('document' in result) return leave(result.document, o.history)
    const { entry } = result
    const sameUrl = entry.url === core.current().entry.url
    if (o.history === 'keep') {
      remember(core.key, entry)
    } else {
      saveScroll(core.key)
      const k = newKey()
      // A submission answered on the page it came from replaces its entry: back does not post again.
      if (o.history === 'replace' || (submission && sameUrl)) history.replaceState(stateFor(k), '', entry.url)
      else history.pushState(stateFor(k), '', entry.url)
      core.key = k
      remember(k, entry)
    }
    show(controller)
    core.publish({
      entry,
      isNavigating: false,
      state: 'idle',
      submission: undefined,
      scroll:
        !o.scroll || (submission && sameUrl)
          ? { type: 'none' }
          : { type: 'top', hash: new URL(entry.url, location.href).hash },
      viewTransition: o.viewTransition,
    })
  }

  const navigate = (href: string, options: NavigateOptions & { replace: boolean }): Promise<void> =>
    go(
      href,
      {
        history: options.replace ? 'replace' : 'push',
        scroll: options.scroll !== false,
        viewTransition: options.viewTransition,
      },
      GET,
    )

  const submit = (s: SubmitRequest): Promise<void> => {
    if (s.method === 'GET') return navigate(getTarget(s), { replace: !!s.replace })
    // Not a page (a route.ts, or no route): the browser posts the form itself, as without JavaScript.
    const found = match(new URL(s.action, location.href).pathname)
    if (found?.route.kind !== 'page' && s.form) return (void submitNatively(s.form, s.submitter), Promise.resolve())
    const submission: Submission = { formData: s.formData, method: s.method, action: s.action }
    const init: DataInit = { method: s.method, body: submissionBody(s) }
    return go(s.action, { history: s.replace ? 'replace' : 'push', scroll: true }, init, submission)
  }

  const refresh = (): Promise<void> =>
    go(core.current().entry.url, { history: 'keep', scroll: false }, { method: 'GET', fresh: true })

  /** The entry shown, rebuilt with fresh data (a fetcher's revalidation): same place, same view. */
  const rebuild = async (current: Entry, data: Entry['props']['state']['data']): Promise<Entry> => {
    const url = new URL(current.url, location.href)
    const { state, view, htmlAttrs } = current.props
    const target: ViewTarget =
      view.kind === 'page' ? { kind: 'page', id: pageId(view.files.page) } : { kind: 'not-found' }
    const loaded = await loadView(routes, target)
    const place = {
      pathname: url.pathname,
      search: url.search,
      hash: url.hash,
      params: state.params,
      htmlAttrs,
      flushHint: core.flushHint,
    }
    return makeEntry(loaded, place, data, state.actionData)
  }

  const pageId = (file: string | undefined): string => routes.table.routes.find((r) => r.file === file)?.id ?? ''

  /**
   * A fetcher answered by another build: its action (if any) has run; the page it leads to is loaded as a document,
   * and the fetcher stays busy until the browser leaves.
   */
  const leaveFetcher = (url: URL, route: NavigationPayload['route']): Promise<never> => {
    if (route.kind === 'redirect') leave(documentOf(url, route), 'push')
    else leave(new URL(core.current().entry.url, location.href).href, 'replace')
    return new Promise<never>(() => {})
  }

  /** Reads a response the router cannot decode (a route.ts answer, a refusal) as JSON or text. */
  const readAnswer = async (res: Response): Promise<unknown> =>
    (res.headers.get('content-type') ?? '').includes('json') ? res.json() : res.text()

  const fetchFor = async (
    request: SubmitRequest | { method: 'GET'; action: string; signal?: AbortSignal },
  ): Promise<FetchResult> => {
    const signal = request.signal ?? new AbortController().signal
    const url = new URL(request.action, location.href)
    const target = url.pathname + url.search
    const found = match(url.pathname)
    if (!('formData' in request)) {
      // fetcher.load(): the page's own loader data, without navigating.
      const res = await dataRequest(target, signal)
      if (!res.ok || !res.body) throw new DataError(res.status, String(await readAnswer(res)))
      const loaded = await decodeFrameBytes<NavigationPayload>(res.body)
      if (foreign(loaded)) return leaveFetcher(url, loaded.route)
      const { route, data } = loaded
      if (route.kind === 'redirect')
        return (void navigate(route.location, { replace: false }), { data: undefined, status: route.status })
      if (route.kind === 'error') throw errorFromWire(route.error)
      if (route.kind !== 'page')
        throw new DataError(404, `fetcher.load(${JSON.stringify(request.action)}): no page answers ${url.pathname}.`)
      const file = routes.table.routes.find((r) => r.id === route.id)?.file
      return { data: file === undefined ? undefined : data?.[file], status: route.status }
    }
    const init: DataInit = { method: request.method, body: submissionBody(request) }
    if (!found || found.route.kind === 'resource') {
      // A route.ts action answers JSON; the page's loaders run again after a success.
      const res = await fetch(url, {
        method: init.method,
        body: init.body,
        signal,
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
      const data = await readAnswer(res)
      if (res.ok) await refresh()
      return { data, status: res.status }
    }
    const current = core.current().entry
    const here = new URL(current.url, location.href)
    const samePage = here.pathname + here.search === target
    const kept = samePage
      ? keptFiles(
          current,
          { layouts: found.route.layouts, page: found.route.file, params: found.params, search: url.search },
          true,
        )
      : []
    const dataId = ++dataSeq
    const res = await dataRequest(target, signal, { ...init, noRevalidate: !samePage }, kept)
    if (!res.ok || !res.body) throw new DataError(res.status, String(await readAnswer(res)))
    const payload = await decodeFrameBytes<NavigationPayload>(res.body)
    if (foreign(payload)) return leaveFetcher(url, payload.route)
    const { route } = payload
    if (route.kind === 'redirect') {
      await navigate(route.location, { replace: false })
      return { data: undefined, status: route.status }
    }
    if (route.kind === 'error') throw errorFromWire(route.error)
    if (route.kind !== 'page') throw new DataError(404, `The action at ${url.pathname} answered not found.`)
    if (!samePage) {
      if (route.status < 400) await refresh()
    } else if (payload.data && dataId === dataSeq && core.current().entry.url === current.url) {
      // Only the newest page-data request is shown: an older fetcher's answer never replaces newer data.
      const entry = await rebuild(current, mergeData(current.props.state.data, kept, payload.data, false))
      if (dataId === dataSeq && core.current().entry.url === current.url) {
        remember(core.key, entry)
        core.publish({ entry, scroll: { type: 'none' } })
      }
    }
    return { data: payload.action, status: route.status }
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
      return core.publish({
        entry: cached,
        isNavigating: false,
        scroll: { type: 'restore', key: core.key },
        pop: true,
      })
    }
    // Not cached (older than the cache, or made before this page loaded): fetch it again.
    const controller = new AbortController()
    inFlight = controller
    core.publish({ isNavigating: true })
    load(location.pathname + location.search + location.hash, controller.signal, 0).then(
      (result) => {
        if (id !== seq) return
        // The history entry is there already: the document takes its place.
        if ('document' in result) return location.replace(result.document)
        if (!k) {
          core.key = newKey()
          history.replaceState(stateFor(core.key, history.state), '')
        }
        remember(core.key, result.entry)
        show(controller)
        core.publish({
          entry: result.entry,
          isNavigating: false,
          scroll: { type: 'restore', key: core.key },
          pop: true,
        })
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
    const response = dataRequest(target, controller.signal, GET, [], 'prefetch')
    response.catch(() => {})
    prefetched.delete(target)
    prefetched.set(target, { at: Date.now(), response, controller })
    if (prefetched.size > PREFETCH_MAX) {
      const [oldest, dropped] = prefetched.entries().next().value as [string, Prefetched]
      prefetched.delete(oldest)
      dropped.controller.abort()
    }
  }

  return { navigate, popState, prefetch, submit, refresh, fetch: fetchFor }
}
