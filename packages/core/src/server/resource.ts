import type { PlatformRequest as IncomingMessage, PlatformResponse as ServerResponse } from './platform.js'
import { RequestContext, runLoader } from '../data/loader.js'
import { errorStatus, toPublicError } from '../data/errors.js'
import type { LoaderContext } from '../data/types.js'
import type { RouteEntry, Params } from '../routes/types.js'
import type { RouteModule } from './build-types.js'
import { HttpError, readBodyBytes } from '../node/body.js'
import { parseBody } from '../data/body.js'
import type { ReadBody } from '../data/types.js'
import { sendWebResponse } from '../node/web-response.js'
import { abortOnClientGone, RequestCancel } from './cancel.js'

const CLOSE = { connection: 'close' }

const ACTION_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent) return void res.end()
  const text = JSON.stringify(body)
  res.statusCode = status
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(text))
  res.end(text)
}

/** Answers a `route.ts` request: GET/HEAD → loader, POST/PUT/PATCH/DELETE → action, JSON out, errors as JSON. */
export async function handleResource(
  req: IncomingMessage,
  res: ServerResponse,
  route: RouteEntry,
  mod: RouteModule,
  params: Params,
  shownFile: string,
  dev: boolean,
  bodyLimit?: number,
): Promise<void> {
  const method = req.method ?? 'GET'
  // Only answers that list the methods (OPTIONS, 405) build the list.
  const allow = () =>
    [mod.loader && 'GET, HEAD', mod.action && [...ACTION_METHODS].join(', ')].filter(Boolean).join(', ')
  const fn = method === 'GET' || method === 'HEAD' ? mod.loader : ACTION_METHODS.has(method) ? mod.action : undefined
  if (method === 'OPTIONS') {
    res.statusCode = 204
    const methods = allow()
    res.setHeader('allow', `OPTIONS${methods ? ', ' + methods : ''}`)
    return void res.end()
  }
  if (!fn) {
    const methods = allow() ? `${allow()}, OPTIONS` : 'OPTIONS'
    const why =
      method === 'GET' || method === 'HEAD'
        ? `${shownFile} has no loader export`
        : ACTION_METHODS.has(method)
          ? `${shownFile} has no action export`
          : // Not a method a route file can answer at all (PROPFIND, TRACE…): say which ones this file takes.
            `${shownFile} answers ${methods}; a loader takes GET and HEAD, an action POST, PUT, PATCH and DELETE`
    return sendJson(res, 405, { error: `${method} is not allowed on ${route.id}: ${why}.` }, { allow: methods })
  }
  let body: ReadBody | undefined
  if (ACTION_METHODS.has(method) && (req as { body?: unknown }).body === undefined) {
    try {
      body = await readBodyBytes(req, bodyLimit)
      if (body) (req as { body?: unknown }).body = parseBody(body)
    } catch (error) {
      // The rest of an oversized body stays unread: the connection cannot carry another request.
      if (error instanceof HttpError)
        return sendJson(res, error.status, { error: error.message }, error.status === 413 ? CLOSE : undefined)
      throw error
    }
  }
  // Most resource loaders never read ctx.signal: the client is watched from its first read on.
  const cancel: RequestCancel = new RequestCancel(() => abortOnClientGone(res, cancel))
  const ctx = new RequestContext(req, res, params, cancel, body)
  const outcome = await runLoader(fn as (c: LoaderContext) => unknown, ctx, shownFile)
  // The loader may have answered itself with ctx.res.json() or res.end().
  if (res.writableEnded || res.headersSent) return
  switch (outcome.kind) {
    case 'response':
      return sendWebResponse(res, outcome.response)
    case 'data':
      return sendJson(res, res.statusCode || 200, outcome.data ?? null)
    case 'redirect':
      return sendJson(res, outcome.status, { redirect: outcome.location }, { location: outcome.location })
    case 'not-found':
      return sendJson(res, 404, { error: 'Not Found' })
    case 'error': {
      const shown = toPublicError(outcome.error, dev, `${method} ${req.url} (${shownFile})`)
      const status = errorStatus(outcome.error)
      return sendJson(res, status, {
        error: shown.message,
        digest: shown.digest,
        // Dev only: the stack, and where in the source it was thrown (file, line, column, code frame).
        ...(dev ? { stack: shown.stack, source: shown.source } : {}),
      })
    }
  }
}
