export { createRequestHandler } from './node/request-handler.js'
export type { RequestHandler, RequestHandlerOptions } from './server/handler.js'
export { startProductionServer, loadBuild } from './node/production.js'
export type { ProductionServerOptions } from './node/production.js'
export { securityHeaders, SECURITY_HEADERS } from './node/headers.js'
export type { ServerBuild } from './server/build-types.js'
// The types a server file needs, here too as in the original Pareto, so server code can import from one path.
export type { LoaderContext, LoaderFunction } from './data/types.js'
export type { ParetoConfig } from './config.js'
