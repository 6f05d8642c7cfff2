import { use, useContext, useMemo } from 'react'
import { NavigatorContext, RouteFileContext, RouteStateContext } from './context.js'
import type { Router, RouteState } from './context.js'
import { isThenable } from '../shared/thenable.js'

function useRouteState(hook: string): RouteState {
  const state = useContext(RouteStateContext)
  if (!state) {
    throw new Error(
      `${hook} was called outside a Pareto page. Call it in a component rendered by a page.tsx, layout.tsx or their children.`,
    )
  }
  return state
}

/** The data type a loader produces: `LoaderData<typeof loader>` is its awaited return value; any other type is kept as is. */
export type LoaderData<T> = T extends (...args: never[]) => infer R ? Awaited<R> : T

/**
 * The loader data of the route file it is called in: inside a layout that layout's, inside the page (and its
 * children) the page's. `useLoaderData<typeof loader>()` infers it from the loader; `useLoaderData<Shape>()`
 * states it. Deferred values stay promises: read them with `<Await>` or `useStreamData`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped calls (as in the docs' examples) must destructure freely
export function useLoaderData<T = any>(): LoaderData<T> {
  const { data } = useRouteState('useLoaderData()')
  const file = useContext(RouteFileContext)
  return (file === undefined ? undefined : data[file]) as LoaderData<T>
}

/**
 * What the page's action returned for the submission being shown (`useActionData<typeof action>()` infers it),
 * or undefined when the page was not rendered for a submission.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as useLoaderData
export function useActionData<T = any>(): LoaderData<T> | undefined {
  return useRouteState('useActionData()').actionData as LoaderData<T> | undefined
}

/** Reads a deferred value inside a Suspense boundary: suspends until a promise settles, returns plain values at once. */
export function useStreamData<T>(value: T | PromiseLike<T>): T {
  return isThenable(value) ? use(value as Promise<T>) : (value as T)
}

/** The router: current location and params, navigation state and actions. */
export function useRouter(): Router {
  const state = useRouteState('useRouter()')
  const nav = useContext(NavigatorContext)
  return useMemo<Router>(
    () => ({
      pathname: state.pathname,
      search: state.search,
      params: state.params,
      isNavigating: nav?.isNavigating ?? false,
      state: nav?.state ?? 'idle',
      submission: nav?.submission,
      push: (url, options) => nav?.navigate(url, { ...options, replace: options?.replace ?? false }),
      replace: (url, options) => nav?.navigate(url, { ...options, replace: true }),
      back: () => nav?.back(),
      // As the original documents: the target's code and its loader data, kept only briefly.
      prefetch: (url) => nav?.prefetch(url, { data: true }),
      refresh: () => nav?.refresh() ?? Promise.resolve(),
    }),
    [state, nav],
  )
}
