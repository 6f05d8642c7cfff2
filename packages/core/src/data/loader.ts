import { isNotFound, isRedirect } from './signals.js'
import { isThenable } from '../shared/thenable.js'
import type { PlatformRequest, PlatformResponse } from '../server/platform.js'
import type { LoaderContext, LoaderRequest, LoaderResponse, ReadBody } from './types.js'
import type { Params } from '../routes/types.js'
import { webRequest } from '../node/web-request.js'
import { parseFormData } from './body.js'

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
  /** An action's body, read before it runs; absent for loaders and for bodies left to stream. */
  readonly #body: ReadBody | undefined
  #request: Request | undefined
  #form: Promise<FormData> | undefined

  constructor(req: PlatformRequest, res: PlatformResponse, params: Params, signals: SignalSource, body?: ReadBody) {
    this.req = req as unknown as LoaderRequest
    this.res = res as unknown as LoaderResponse
    this.params = params as Record<string, string>
    this.#signals = signals
    this.#body = body
  }

  get signal(): AbortSignal {
    return this.#signals.signal
  }

  get request(): Request {
    return (this.#request ??= webRequest(this.req, this.#body, this.signal))
  }

  formData(): Promise<FormData> {
    // req.body only when no body was read here (an app.ts parser had it): reading it would parse it again.
    return (this.#form ??= parseFormData(this.#body, this.req.method, this.#body ? undefined : this.req.body))
  }
}

/** What running a loader or action came to. */
export type LoadOutcome =
  | { kind: 'data'; data: unknown }
  /** A web `Response` returned or thrown: sent as it is on a document request. */
  | { kind: 'response'; response: Response }
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
  redirectStatus = 302,
): LoadOutcome | Promise<LoadOutcome> {
  if (!fn) return { kind: 'data', data: undefined }
  let data: unknown
  try {
    data = fn(ctx)
  } catch (error) {
    return thrown(error, redirectStatus)
  }
  if (isThenable(data))
    return Promise.resolve(data).then(
      (value) => returned(value, file, redirectStatus),
      (error: unknown) => thrown(error, redirectStatus),
    )
  return returned(data, file, redirectStatus)
}

function returned(data: unknown, file: string, redirectStatus: number): LoadOutcome {
  if (typeof data === 'function') {
    return {
      kind: 'error',
      error: new Error(
        `${file}: loader returned a function; loaders must return data (an object, array or primitive).`,
      ),
    }
  }
  // redirect()/notFound() throw by themselves; a signal that was caught and then returned counts the same.
  if (isRedirect(data)) return { kind: 'redirect', location: data.location, status: data.status ?? redirectStatus }
  if (isNotFound(data)) return { kind: 'not-found' }
  if (data instanceof Response) return { kind: 'response', response: data }
  return { kind: 'data', data }
}

function thrown(error: unknown, redirectStatus: number): LoadOutcome {
  if (isRedirect(error)) return { kind: 'redirect', location: error.location, status: error.status ?? redirectStatus }
  if (isNotFound(error)) return { kind: 'not-found' }
  if (error instanceof Response) return { kind: 'response', response: error }
  return { kind: 'error', error }
}
