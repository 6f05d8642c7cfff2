import type { PlatformRequest as IncomingMessage, PlatformResponse as ServerResponse } from './platform.js'
import type { Params, RouteEntry } from '../routes/types.js'
import type { AssetResolver } from './assets.js'
import type { ServerBuild } from './build-types.js'
import { RequestCancel } from './cancel.js'
import type { ReadBody } from '../data/types.js'
import type { Renderer } from './renderer.js'

/** What every page request of one build shares: the build, its assets, the client entry, the mode. */
export interface PageEnv {
  build: ServerBuild
  assets?: AssetResolver
  bootstrapModules: string[]
  dev: boolean
  /** React's streaming renderer for this platform (Node's or the web's). */
  renderer: Renderer
}

/** One page request on its way through resolve → document or navigation: everything each step needs. */
export class PageRequest {
  /** Aborted when the client leaves, the stream times out or the shell fails; the loader's `ctx.signal`. */
  readonly cancel = new RequestCancel()
  /** Answered as navigation frames (a client navigation, submission or fetcher), not as a document. */
  navigation = false
  /** Runs the page's action before its loaders (POST, PUT, PATCH, DELETE). */
  acting = false
  /** Whether a successful action is followed by the page's loaders (a fetcher posting elsewhere asks not to). */
  revalidate = true
  /** Route files whose data the router keeps: their loaders do not run. */
  keep: ReadonlySet<string> | undefined = undefined
  /** The action's body, read in full before it runs. */
  body: ReadBody | undefined = undefined

  constructor(
    readonly env: PageEnv,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The matched page route, or null for a URL no route matched (not-found). */
    readonly route: RouteEntry | null,
    readonly params: Params,
  ) {}

  /** Names the request in server logs, e.g. `GET /blog/x`. */
  get where(): string {
    return `${this.req.method} ${this.req.url}`
  }

  /** The app-relative name of a route file, as error messages show it (`app/blog/page.tsx`). */
  shown(file: string): string {
    return `${this.env.build.config.appDir}/${file}`
  }
}
