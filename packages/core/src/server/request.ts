import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Params, RouteEntry } from '../routes/types.js'
import type { AssetResolver } from './assets.js'
import type { ServerBuild } from './build-types.js'
import { RequestCancel } from './cancel.js'

/** What every page request of one build shares: the build, its assets, the client entry, the mode. */
export interface PageEnv {
  build: ServerBuild
  assets?: AssetResolver
  bootstrapModules: string[]
  dev: boolean
}

/** One page request on its way through resolve → document or navigation: everything each step needs. */
export class PageRequest {
  /** Aborted when the client leaves, the stream times out or the shell fails; the loader's `ctx.signal`. */
  readonly cancel = new RequestCancel()

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
