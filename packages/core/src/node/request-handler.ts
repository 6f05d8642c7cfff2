import { createPageHandler } from '../server/handler.js'
import type { RequestHandler, RequestHandlerOptions } from '../server/handler.js'
import { nodeRenderer } from './render.js'

/** Creates the Node/Connect/Express middleware that answers every Pareto route, rendering with React's Node stream. */
export function createRequestHandler(options: RequestHandlerOptions): RequestHandler {
  return createPageHandler(options, nodeRenderer)
}
