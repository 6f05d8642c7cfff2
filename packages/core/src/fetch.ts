export { createFetchHandler } from './web/fetch-handler.js'
export type { FetchHandlerOptions } from './web/fetch-handler.js'
export { clientFiles } from './web/client-files.js'
