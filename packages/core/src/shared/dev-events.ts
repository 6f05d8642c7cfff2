/** The dev server's message to open pages after a file of the project changed (error pages load again on it). */
export const CODE_CHANGED_EVENT = 'pareto:code-changed'

/** The HMR client module Vite serves in dev; it exports the error overlay and `createHotContext`. */
export const VITE_CLIENT_URL = '/@vite/client'

/** A page's request to the dev server to find the source of an error thrown in the browser: `{ id, stack }`. */
export const LOCATE_EVENT = 'pareto:locate'

/** The dev server's answer to LOCATE_EVENT: `{ id, source }`, without `source` when no project file is in the stack. */
export const LOCATED_EVENT = 'pareto:located'
