/**
 * A page's rendering settings, exported from its `page.tsx`:
 *
 * @example
 * export const config: RouteConfig = { render: 'static' }
 */
export interface RouteConfig {
  /**
   * `'static'`: `pareto build` renders the page once (every loader run, every deferred value awaited) and
   * `pareto start` serves it as a file; a route with params also exports `staticParams()`. `'dynamic'`:
   * rendered for each request. @default 'dynamic'
   */
  render?: 'static' | 'dynamic'
}

/**
 * The params of one static page, as `staticParams()` returns them: a string per `[param]`; for a catch-all
 * `[...rest]` the remaining path (`'a/b'`) or its segments (`['a', 'b']`); `[[...rest]]` may be left out.
 */
export type StaticParams = Record<string, string | string[] | undefined>

/** One HTTP answer `pareto build` recorded for a static page: its status, headers, and the files of its body. */
export interface StaticAnswer {
  status: number
  /** Header names in lower case, as the request handler set them (content-type, location…). */
  headers: Record<string, string>
  /** The body's file, relative to the static folder, and its precompressed forms; absent for an empty body. */
  body?: {
    file: string
    etag: string
    size: number
    /** Precompressed copies beside the file (`<file>.br`, `<file>.gz`), each smaller than the file. */
    encodings: { encoding: 'br' | 'gzip'; etag: string; size: number }[]
  }
}

/** What `pareto build` wrote for one static page: the document, and the navigation data the client router reads. */
export interface StaticEntry {
  /** The route's pattern, e.g. `/blog/[slug]`. */
  route: string
  document: StaticAnswer
  data: StaticAnswer
}

/** `<outDir>/static.json`: every static page by its decoded URL path (`/blog/héllo`), read by the serving step. */
export interface StaticManifest {
  version: 1
  pages: Record<string, StaticEntry>
}
