import type { Params } from '../routes/types.js'
import type { HtmlAttributes, WireErrorShape } from './global.js'

/** Navigation data requests go to this prefix followed by the target page's own path and query. */
export const DATA_PREFIX = '/__pareto/data'

/** Content type of a navigation data response: the same frames as the document's inline scripts, as lines. */
export const DATA_CONTENT_TYPE = 'text/x-pareto-frames; charset=utf-8'

/** What the first frame of a navigation response says about the target, besides its loader data. */
export type NavigationRoute =
  | { kind: 'page'; id: string; params: Params; htmlAttrs: HtmlAttributes; status: number }
  | { kind: 'not-found'; htmlAttrs: HtmlAttributes; status: 404 }
  | { kind: 'error'; id: string | null; error: WireErrorShape; htmlAttrs: HtmlAttributes; status: number }
  | { kind: 'redirect'; location: string; status: number }
  /** The target is not a page (a resource route): the browser must load it itself. */
  | { kind: 'document' }

/**
 * The data a page is rendered with, as its document's frames and a navigation response carry it: each route
 * file's loader data by file (only the loaders that ran), and what the page's action returned.
 */
export interface PageData {
  data?: Record<string, unknown>
  action?: unknown
}

/** A page's data as its frames carry it, with the keys of empty parts left out (so plain data stays plain JSON). */
export function pageData(data: Record<string, unknown> | undefined, action: unknown): PageData {
  const out: PageData = {}
  if (data !== undefined) out.data = data
  if (action !== undefined) out.action = action
  return out
}

/** The value a navigation response encodes. */
export interface NavigationPayload extends PageData {
  route: NavigationRoute
  /**
   * The build that answered (absent in dev). A page of another build does not render the data with its own
   * modules: it loads the document instead (a rolling deploy).
   */
  build?: string
}

/**
 * Request header of a navigation data request: the route files (comma-separated) whose data the router
 * keeps, so their loaders are not run again — layouts whose params and query did not change.
 */
export const KEEP_HEADER = 'x-pareto-keep'

/** Request header of a fetcher's submission: `0` asks for the action's result without the page's fresh data. */
export const REVALIDATE_HEADER = 'x-pareto-revalidate'

/** The data request URL for a target path (with its query). */
export function dataUrl(target: string): string {
  return DATA_PREFIX + (target.startsWith('/') ? target : '/' + target)
}
