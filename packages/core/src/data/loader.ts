import { isNotFound, isRedirect } from './signals.js'
import type { LoaderContext } from './types.js'

/** What running a loader or action came to. */
export type LoadOutcome =
  | { type: 'data'; data: unknown }
  | { type: 'redirect'; location: string; status: number }
  | { type: 'not-found' }
  | { type: 'error'; error: unknown }

type AnyLoader = (ctx: LoaderContext) => unknown

/** Runs a loader (or action) and classifies what it returned or threw. `file` names it in error messages. */
export async function runLoader(fn: AnyLoader | undefined, ctx: LoaderContext, file: string): Promise<LoadOutcome> {
  if (!fn) return { type: 'data', data: undefined }
  try {
    const data = await fn(ctx)
    if (typeof data === 'function') {
      throw new Error(`${file}: loader returned a function; loaders must return data (an object, array or primitive).`)
    }
    if (isRedirect(data)) return { type: 'redirect', location: data.location, status: data.status }
    if (isNotFound(data)) return { type: 'not-found' }
    return { type: 'data', data }
  } catch (error) {
    if (isRedirect(error)) return { type: 'redirect', location: error.location, status: error.status }
    if (isNotFound(error)) return { type: 'not-found' }
    return { type: 'error', error }
  }
}
