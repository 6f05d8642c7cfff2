/** The dev server's message to open pages after a file of the project changed (error pages load again on it). */
export const CODE_CHANGED_EVENT = 'pareto:code-changed'

/** The HMR client module Vite serves in dev; it exports the error overlay and `createHotContext`. */
export const VITE_CLIENT_URL = '/@vite/client'
