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

/** The value a navigation response encodes. */
export interface NavigationPayload {
  route: NavigationRoute
  data: unknown
}

/** The data request URL for a target path (with its query). */
export function dataUrl(target: string): string {
  return DATA_PREFIX + (target.startsWith('/') ? target : '/' + target)
}
