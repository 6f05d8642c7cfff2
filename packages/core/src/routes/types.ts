/** One URL segment of a route pattern, as parsed from a folder name. */
export type Segment =
  | { type: 'static'; value: string }
  | { type: 'dynamic'; name: string }
  | { type: 'catchall'; name: string }
  | { type: 'optional'; name: string }

/** A route as found on disk: everything the server and client need to know about it, no code. */
export interface RouteEntry {
  /** The pattern as written with folders, e.g. `/blog/[slug]`; unique per route. */
  id: string
  kind: 'page' | 'resource'
  segments: Segment[]
  /** Files relative to the app directory, POSIX separators. */
  file: string
  loaderFile?: string
  layouts: string[]
  heads: string[]
}

/** The whole scan of an app directory. */
export interface RouteTable {
  routes: RouteEntry[]
  notFound?: string
  error?: string
  rootLayout?: string
  rootHead?: string
  document?: string
}

export type Params = Record<string, string | undefined>

/** The result of matching a pathname. */
export interface RouteMatch<R extends { segments: Segment[] } = RouteEntry> {
  route: R
  params: Params
}
