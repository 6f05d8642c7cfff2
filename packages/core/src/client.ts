export { startClient } from './client/start.js'
export type { ClientOptions } from './client/start.js'
// One route as the client knows it (an entry of `ClientOptions['table'].routes`); the original Pareto's name for it.
export type { RouteEntry as ClientRoute } from './routes/types.js'
