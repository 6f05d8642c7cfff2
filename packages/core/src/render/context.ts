import { createContext } from 'react'
import type { Params } from '../routes/types.js'

/** What a rendered route knows about itself; provided once at the root, read by hooks. */
export interface RouteState {
  pathname: string
  search: string
  params: Params
  loaderData: unknown
}

/** Navigation options for `push` and `replace`. */
export interface NavigateOptions {
  replace?: boolean
  scroll?: boolean
}

/** What `useRouter()` returns. */
export interface Router {
  pathname: string
  search: string
  params: Params
  isNavigating: boolean
  push(url: string, options?: NavigateOptions): void
  replace(url: string, options?: NavigateOptions): void
  back(): void
  prefetch(url: string): void
}

export const RouteStateContext = createContext<RouteState | null>(null)
RouteStateContext.displayName = 'ParetoRouteState'

/** Navigation actions; the client runtime provides the real ones, the server a set that only says why it cannot navigate. */
export interface Navigator {
  isNavigating: boolean
  navigate(url: string, options: NavigateOptions & { replace: boolean }): void
  back(): void
  /** Loads the target's code, and with `data` its loader data too (kept briefly). */
  prefetch(url: string, options?: { data?: boolean }): void
}

export const NavigatorContext = createContext<Navigator | null>(null)
NavigatorContext.displayName = 'ParetoNavigator'
