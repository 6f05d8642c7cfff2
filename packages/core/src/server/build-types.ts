import type { PlatformRequest as IncomingMessage, PlatformResponse as ServerResponse } from './platform.js'
import type { ResolvedConfig } from '../config.js'
import type { RouteTable } from '../routes/types.js'

/** A Connect/Express-style handler. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/** What a route file exports, as far as the server cares. */
export interface RouteModule {
  default?: unknown
  loader?: (ctx: never) => unknown
  action?: (ctx: never) => unknown
  getDocumentProps?: (ctx: never) => unknown
}

/** What the generated server entry exports: the route table, every route file's module, the config, the user's app. */
export interface ServerBuild {
  table: RouteTable
  modules: Record<string, RouteModule>
  config: ResolvedConfig
  app?: Middleware
  /** Names the client build this server's pages load (absent in dev); navigation data carries it. */
  buildId?: string
}
