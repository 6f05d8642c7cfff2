import { bodyKind, parseBody } from '../data/body.js'
import { HttpError } from '../data/errors.js'
import { RequestContext, runLoader } from '../data/loader.js'
import type { LoadOutcome } from '../data/loader.js'
import type { LoaderContext, ReadBody } from '../data/types.js'
import { BODY_LIMIT, readBodyBytes } from '../node/body.js'
import type { RouteModule } from './build-types.js'
import type { PageRequest } from './request.js'

/** What running a page's action came to: its data at the status it set, a signal or Response, or a refused body. */
export type Acted =
  | { kind: 'data'; data: unknown; status: number }
  | Exclude<LoadOutcome, { kind: 'data' }>
  | { kind: 'refused'; status: number; message: string }

/** `req.body` parsed on first read: an action that reads `ctx.formData()` never pays for it (bench/NOTES.md, "FormFast"). */
function lazyBody(req: object, body: ReadBody): void {
  Object.defineProperty(req, 'body', {
    configurable: true,
    enumerable: true,
    get() {
      const value = parseBody(body)
      Object.defineProperty(req, 'body', { value, writable: true, configurable: true, enumerable: true })
      return value
    },
    set(value: unknown) {
      Object.defineProperty(req, 'body', { value, writable: true, configurable: true, enumerable: true })
    },
  })
}

/** The module file a page route's action comes from: its `loader.ts` when that exports one, else `page.tsx`. */
export function actionOf(
  modules: Record<string, RouteModule>,
  route: { file: string; loaderFile?: string },
): { file: string; fn: (ctx: LoaderContext) => unknown } | undefined {
  for (const file of route.loaderFile ? [route.loaderFile, route.file] : [route.file]) {
    const fn = modules[file]?.action
    if (typeof fn === 'function') return { file, fn: fn as (ctx: LoaderContext) => unknown }
  }
  return undefined
}

/**
 * The act step: reads the body (bounded by `bodyLimit`; `req.body` as Express's parsers give it, `ctx.formData()`
 * for forms and uploads), then runs the action. A redirect from an action defaults to 303, so the browser
 * follows a form post with a GET.
 */
export async function act(
  r: PageRequest,
  action: { file: string; fn: (ctx: LoaderContext) => unknown },
): Promise<Acted> {
  const req = r.req as typeof r.req & { body?: unknown }
  // An app.ts body parser may have read it already: its req.body stands.
  if (req.body === undefined && !req.readableEnded) {
    try {
      r.body = await readBodyBytes(req, r.env.build.config.bodyLimit ?? BODY_LIMIT)
      // Malformed JSON is refused before the action; a form cannot be malformed, so it is parsed when read.
      if (r.body && bodyKind(r.body.type) === 'json') req.body = parseBody(r.body)
      else if (r.body) lazyBody(req, r.body)
    } catch (error) {
      if (error instanceof HttpError) return { kind: 'refused', status: error.status, message: error.message }
      throw error
    }
  }
  const ctx = new RequestContext(r.req, r.res, r.params, r.cancel, r.body)
  const outcome = await runLoader(action.fn, ctx, r.shown(action.file), 303)
  if (outcome.kind !== 'data') return outcome
  return { kind: 'data', data: outcome.data, status: r.res.statusCode || 200 }
}
