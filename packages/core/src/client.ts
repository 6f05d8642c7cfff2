export { startClient } from './client/start.js'
export type { ClientOptions } from './client/start.js'
