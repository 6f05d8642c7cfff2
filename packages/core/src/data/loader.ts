import { isNotFound, isRedirect } from './signals.js'
import { isThenable } from '../shared/thenable.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LoaderContext, LoaderRequest, LoaderResponse } from './types.js'
import type { Params } from '../routes/types.js'

/** Where `ctx.signal` comes from: made when first read, since most loaders never read it. */
export interface SignalSource {
  readonly signal: AbortSignal
}

/**
 * The `ctx` a loader or action receives. A class with `signal` on its prototype, not a literal with a getter
 * closure, which kept every request alive to the next full GC (bench/NOTES.md, "RequestContext").
 */
export class RequestContext implements LoaderContext {
  readonly req: LoaderRequest
  readonly res: LoaderResponse
  /** Route params; a catch-all's may be missing, which LoaderContext's default type leaves out. */
  readonly params: Record<string, string>
  readonly #signals: SignalSource

  constructor(req: IncomingMessage, res: ServerResponse, params: Params, signals: SignalSource) {
    this.req = req as LoaderRequest
    this.res = res as LoaderResponse
    this.params = params as Record<string, string>
    this.#signals = signals
  }

  get signal(): AbortSignal {
    return this.#signals.signal
  }
}

/** What running a loader or action came to. */
export type LoadOutcome =
  | { kind: 'data'; data: unknown }
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'not-found' }
  | { kind: 'error'; error: unknown }

type AnyLoader = (ctx: LoaderContext) => unknown

/**
 * Runs a loader (or action) and classifies what it returned or threw. `file` names it in error messages.
 * A loader that answers at once (plain data or `defer()`) is classified at once: no promise and no turn of
 * the event loop, which every page request would otherwise pay for.
 */
export function runLoader(
  fn: AnyLoader | undefined,
  ctx: LoaderContext,
  file: string,
): LoadOutcome | Promise<LoadOutcome> {
  if (!fn) return { kind: 'data', data: undefined }
  let data: unknown
  try {
    data = fn(ctx)
  } catch (error) {
    return thrown(error)
  }
  if (isThenable(data)) return Promise.resolve(data).then((value) => returned(value, file), thrown)
  return returned(data, file)
}

function returned(data: unknown, file: string): LoadOutcome {
  if (typeof data === 'function') {
    return {
      kind: 'error',
      error: new Error(
        `${file}: loader returned a function; loaders must return data (an object, array or primitive).`,
      ),
    }
  }
  // redirect()/notFound() throw by themselves; a signal that was caught and then returned counts the same.
  if (isRedirect(data)) return { kind: 'redirect', location: data.location, status: data.status }
  if (isNotFound(data)) return { kind: 'not-found' }
  return { kind: 'data', data }
}

function thrown(error: unknown): LoadOutcome {
  if (isRedirect(error)) return { kind: 'redirect', location: error.location, status: error.status }
  if (isNotFound(error)) return { kind: 'not-found' }
  return { kind: 'error', error }
}
