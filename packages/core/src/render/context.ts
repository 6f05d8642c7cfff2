import { createContext } from 'react'
import type { Params } from '../routes/types.js'

/** Each route file's loader data, by its file (`layout.tsx`, `blog/page.tsx`): only files whose loader ran. */
export type RouteData = Record<string, unknown>

/** What a rendered route knows about itself; provided once at the root, read by hooks. */
export interface RouteState {
  pathname: string
  search: string
  params: Params
  data: RouteData
  /** What the page's action returned, for the render that answers a submission; undefined otherwise. */
  actionData?: unknown
}

/** Navigation options for `push` and `replace`. */
export interface NavigateOptions {
  replace?: boolean
  scroll?: boolean
  /** Animates the swap with the browser's View Transitions API where it is available. */
  viewTransition?: boolean
}

/** A form submission as the router carries it: where it goes, how, and what it sends. */
export interface Submission {
  formData: FormData
  /** Upper case: `POST`, `PUT`, `PATCH`, `DELETE`. */
  method: string
  /** The URL the form posts to (path and query). */
  action: string
}

/** What the router is doing: nothing, loading the next page, or waiting for a navigating submission's answer. */
export type RouterState = 'idle' | 'loading' | 'submitting'

/** What `useRouter()` returns. */
export interface Router {
  pathname: string
  search: string
  params: Params
  isNavigating: boolean
  /** `'submitting'` while a `<Form>` submission is in flight, `'loading'` while a page loads, else `'idle'`. */
  state: RouterState
  /** The navigating submission in flight (its `formData` shows optimistic UI), else undefined. */
  submission: Submission | undefined
  push(url: string, options?: NavigateOptions): void
  replace(url: string, options?: NavigateOptions): void
  back(): void
  prefetch(url: string): void
  /** Runs the current page's loaders again and shows their data in place; resolves once it shows. */
  refresh(): Promise<void>
}

export const RouteStateContext = createContext<RouteState | null>(null)
RouteStateContext.displayName = 'ParetoRouteState'

/** The route file whose component is rendering (a layout or the page): `useLoaderData()` reads its data. */
export const RouteFileContext = createContext<string | undefined>(undefined)
RouteFileContext.displayName = 'ParetoRouteFile'

/** What a submission asks of the navigation: navigate (a `<Form>`) or not (a fetcher). */
export interface SubmitRequest extends Submission {
  /** Replace the history entry instead of pushing one (navigating submissions only). */
  replace?: boolean
  /** The fetcher's own abort: a newer call of the same fetcher aborts its previous one. */
  signal?: AbortSignal
  /** The form's encoding: url-encoded (the default, as the browser posts it) or `multipart/form-data`. */
  encType?: string
  /** The form and the button that sent it, for a submission the browser must make itself (to a route.ts). */
  form?: HTMLFormElement
  submitter?: HTMLElement | null
}

/** What a fetcher's request came to: the action's (or page loader's) data, and its status. */
export interface FetchResult {
  data: unknown
  status: number
}

/** Navigation actions; the client runtime provides the real ones, the server a set that only says why it cannot navigate. */
export interface Navigator {
  isNavigating: boolean
  state: RouterState
  submission: Submission | undefined
  navigate(url: string, options: NavigateOptions & { replace: boolean }): void
  back(): void
  /** Loads the target's code, and with `data` its loader data too (kept briefly). */
  prefetch(url: string, options?: { data?: boolean }): void
  /** A navigating submission (`<Form>`): the action's result and the page's fresh data in one response. */
  submit(submission: SubmitRequest): Promise<void>
  /** Re-runs the current page's loaders in place. */
  refresh(): Promise<void>
  /** A fetcher's submission or load: no navigation, no history entry; a successful action revalidates the page. */
  fetch(request: SubmitRequest | { method: 'GET'; action: string; signal?: AbortSignal }): Promise<FetchResult>
}

export const NavigatorContext = createContext<Navigator | null>(null)
NavigatorContext.displayName = 'ParetoNavigator'
