import { useEffect, useLayoutEffect, useSyncExternalStore } from 'react'
import type { ReactNode } from 'react'
import { ParetoApp } from '../render/app.js'
import type { AppProps } from '../render/app.js'
import type { Navigator, NavigateOptions, RouterState, Submission, SubmitRequest } from '../render/context.js'
import type * as Arrival from './arrival.js'
import { keyOf, newKey, saveScroll, stateFor } from './history.js'
import type { Navigation } from './navigation.js'
import type { Transitions } from './view-transition.js'
import type { ClientRoutes } from './view.js'
import { BOOT_GLOBAL } from '../wire/global.js'

/** One rendered page: what ParetoApp shows for a URL. */
export interface Entry {
  url: string
  props: Omit<AppProps, 'navigator'>
}

export type ScrollAction = { type: 'top'; hash: string } | { type: 'restore'; key: string } | { type: 'none' }

/** What the router renders now. */
export interface Snapshot {
  entry: Entry
  isNavigating: boolean
  /** Follows `isNavigating` (`'loading'`) unless a submission says `'submitting'`. */
  state: RouterState
  submission: Submission | undefined
  scroll: ScrollAction
  /** Published with an entry: the navigation's own choice of a view transition, if it made one. */
  viewTransition?: boolean
  /** Published with an entry reached by back/forward. */
  pop?: boolean
}

/** The router's shared state, read and updated by the navigation module. */
export interface RouterCore {
  current(): Snapshot
  publish(next: Partial<Snapshot>): void
  /** The key of the current history entry. */
  key: string
  flushHint?: boolean
}

/**
 * The client router: renders the current entry and keeps history and scroll. The navigation itself
 * (data requests, races, redirects, the back/forward cache) is a chunk of its own, loaded on the first
 * sign that the user will navigate — a link prefetched (hover, focus, touch, viewport), a click, a
 * `push`/`replace`/`prefetch` call, or back/forward — so a page that is only read never downloads it.
 */
export function createRouter(
  routes: ClientRoutes,
  initial: Entry,
): { Root: (props: { onHydrated?: () => void }) => ReactNode } {
  const listeners = new Set<() => void>()
  let snapshot: Snapshot = {
    entry: initial,
    isNavigating: false,
    state: 'idle',
    submission: undefined,
    scroll: { type: 'none' },
  }
  /** What React renders: the snapshot, once it may be shown (a view transition shows it inside its callback). */
  let shown = snapshot
  const show = () => {
    shown = snapshot
    for (const l of listeners) l()
  }
  // pareto.config.ts `viewTransitions`, from the boot state.
  const animateAll = !!globalThis[BOOT_GLOBAL]?.r.viewTransitions
  let animate: Promise<Transitions> | undefined
  const transitions = () =>
    (animate ??= import('./view-transition.js').then(
      (m) => m.createTransitions(animateAll),
      // Without the chunk, pages change as they do without animation.
      (): Transitions => (_from, _next, _key, _ua, show) => show(),
    ))
  /** Whether the browser animated the latest back/forward itself (a swipe). */
  let uaAnimated = false
  const core: RouterCore = {
    current: () => snapshot,
    publish(next) {
      // Busy or idle without a word on submissions: a plain navigation (loading) or its end.
      if (next.isNavigating !== undefined && next.state === undefined)
        next = { ...next, state: next.isNavigating ? 'loading' : 'idle', submission: undefined }
      const from = snapshot.entry
      const published = (snapshot = { ...snapshot, ...next })
      if (next.entry && next.entry !== from) {
        arrival?.leave()
        // Once any navigation has animated, the transitions chunk sees every page change (it skips its last one).
        if (animate || next.viewTransition || animateAll)
          return void transitions().then((run) =>
            snapshot === published ? run(from.url, next, core.key, uaAnimated, show) : show(),
          )
      }
      show()
    },
    key: keyOf(history.state) ?? newKey(),
    flushHint: initial.props.flushHint,
  }
  history.replaceState(stateFor(core.key, history.state), '')
  history.scrollRestoration = 'manual'

  let arrival: typeof Arrival | undefined
  let loading: Promise<Navigation> | undefined
  // The scroll, focus and announcement after a navigation come with the navigation code, in a chunk of their own.
  const navigation = () =>
    (loading ??= Promise.all([import('./navigation.js'), import('./arrival.js')]).then(([m, a]) => {
      arrival = a
      if (animateAll) void transitions()
      return m.createNavigation(routes, core)
    }))
  // A warning: while a deploy rolls, an instance of another build may answer for this chunk, and the document works.
  const fail = (error: unknown) =>
    console.warn('[pareto] the navigation code failed to load, so the browser loads the page instead:', error)

  window.addEventListener('popstate', (event) => {
    uaAnimated = event.hasUAVisualTransition
    const state: unknown = event.state
    navigation().then(
      (n) => n.popState(state),
      (error) => (fail(error), location.reload()),
    )
  })
  // A reload or a visit to another site should come back to the same place.
  window.addEventListener('pagehide', () => saveScroll(core.key))

  const base = {
    navigate: (href: string, o: NavigateOptions & { replace: boolean }) => {
      // Busy from the click on, even while the navigation code itself is still on its way.
      if (new URL(href, location.href).origin === location.origin) core.publish({ isNavigating: true })
      if (o.viewTransition) void transitions()
      void navigation().then(
        (n) => n.navigate(href, o),
        (error) => (fail(error), location.assign(href)),
      )
    },
    back: () => history.back(),
    prefetch: (href: string, options?: { data?: boolean }) =>
      void navigation().then(
        (n) => n.prefetch(href, options),
        () => {},
      ),
    submit: (s: SubmitRequest) => {
      core.publish({ isNavigating: true, state: 'submitting', submission: s })
      return navigation().then(
        (n) => n.submit(s),
        (error) => {
          // Without the navigation code the form cannot be sent again as it was: say so, and stop the busy state.
          fail(error)
          core.publish({ isNavigating: false })
        },
      )
    },
    refresh: () => navigation().then((n) => n.refresh()),
    fetch: (request: Parameters<Navigator['fetch']>[0]) => navigation().then((n) => n.fetch(request)),
  }
  // One navigator per router state, so components reading it re-render only when the state changes.
  let navigator: Navigator = { ...base, isNavigating: false, state: 'idle', submission: undefined }
  const navigatorFor = (snap: Snapshot): Navigator => {
    if (
      navigator.state !== snap.state ||
      navigator.submission !== snap.submission ||
      navigator.isNavigating !== snap.isNavigating
    )
      navigator = { ...base, isNavigating: snap.isNavigating, state: snap.state, submission: snap.submission }
    return navigator
  }

  const subscribe = (l: () => void) => {
    listeners.add(l)
    return () => listeners.delete(l)
  }
  const getSnapshot = () => shown
  const initialSnapshot = snapshot
  // Dev only, a module of its own that production builds leave out: the overlay and reload for an error shown.
  if (import.meta.env.DEV)
    void import('./dev-errors.js').then((m) =>
      m.watchShownErrors(() => snapshot.entry, subscribe, !!routes.table.error),
    )

  let last = initial
  function Root({ onHydrated }: { onHydrated?: () => void }): ReactNode {
    const snap = useSyncExternalStore(subscribe, getSnapshot, () => initialSnapshot)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the document has hydrated
    useEffect(() => onHydrated?.(), [])
    useLayoutEffect(() => {
      // Nothing to do before the first navigation, which loads this code.
      arrival?.arrive(last, snap.entry, snap.scroll)
      last = snap.entry
    }, [snap.entry, snap.scroll])
    return <ParetoApp {...snap.entry.props} navigator={navigatorFor(snap)} />
  }

  return { Root }
}
