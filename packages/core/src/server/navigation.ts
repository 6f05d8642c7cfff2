import type { IncomingMessage, ServerResponse } from 'node:http'
import { RequestEnded } from '../data/deferred.js'
import { errorStatus, reportError, toPublicError } from '../data/errors.js'
import { encodeFrames } from '../wire/encode.js'
import { DATA_CONTENT_TYPE } from '../wire/protocol.js'
import type { NavigationPayload, NavigationRoute } from '../wire/protocol.js'
import type { Params, RouteEntry } from '../routes/types.js'
import { documentProps, loadPage } from './load-page.js'
import { splitTarget } from './url.js'
import type { PageEnv } from './load-page.js'
import { armStreamTimeout } from './stream-timeout.js'
import { Cut } from './cut.js'

/**
 * Answers a client navigation's data request for `target` (the page's own path and query, already in
 * `req.url`): the same loader run as a document request, the same frames, written as lines as they settle.
 */
export async function handleNavigation(env: PageEnv, req: IncomingMessage, res: ServerResponse & { flush?: () => void }, match: { route: RouteEntry; params: Params } | null): Promise<void> {
  const cut = new Cut()
  const { pathname } = splitTarget(req.url ?? '/')
  let payload: NavigationPayload
  if (match?.route.kind === 'resource') {
    payload = { route: { kind: 'document' }, data: undefined }
  } else {
    const load = await loadPage(env, req, res, match?.route ?? null, match?.params ?? {}, cut)
    if (load.kind === 'done') return
    payload = await describe(env, req, pathname, load)
  }

  res.statusCode = 200
  res.setHeader('content-type', DATA_CONTENT_TYPE)
  res.setHeader('cache-control', 'no-store')
  res.setHeader('x-accel-buffering', 'no')
  const disarm = armStreamTimeout(cut, env.build.config.streamTimeout)
  const onClose = () => {
    disarm()
    // A superseded navigation or a closed tab: the loader's signal aborts, nothing is logged.
    if (!res.writableFinished && !cut.aborted) cut.abort(new RequestEnded('client disconnected'))
  }
  res.once('close', onClose)
  // Without data the key is left out, so the payload stays plain JSON (JSON has no undefined).
  const frames = encodeFrames(payload.data === undefined ? { route: payload.route } : payload)
  if (typeof frames === 'string') {
    // Complete already (plain JSON data): one write.
    disarm()
    res.off('close', onClose)
    return void res.end(frames)
  }
  await new Promise<void>((resolve) =>
    frames.listen(
      (head, body) => {
        if (res.destroyed) return // the encoder still ends: `cut` has settled every promise
        res.write(`${head}${body}\n`)
        res.flush?.()
      },
      (error) => {
        if (error !== undefined) reportError(error, `while encoding navigation data for ${pathname}`)
        resolve()
      },
    ),
  )
  disarm()
  if (!res.writableEnded) res.end()
}

async function describe(env: PageEnv, req: IncomingMessage, pathname: string, load: Exclude<Awaited<ReturnType<typeof loadPage>>, { kind: 'done' }>): Promise<NavigationPayload> {
  try {
    switch (load.kind) {
      case 'redirect':
        return { route: { kind: 'redirect', location: load.location, status: load.status }, data: undefined }
      case 'not-found':
        return { route: { kind: 'not-found', htmlAttrs: await documentProps(env, req, {}, pathname, undefined), status: 404 }, data: undefined }
      case 'error':
        return errorPayload(env, req, pathname, load.error, load.where, load.routeId)
      case 'page': {
        const htmlAttrs = await documentProps(env, req, load.params, pathname, load.data)
        const route: NavigationRoute = { kind: 'page', id: load.route.id, params: load.params, htmlAttrs, status: load.status }
        return { route, data: load.data }
      }
    }
  } catch (error) {
    return errorPayload(env, req, pathname, error, `navigation to ${pathname} failed`, null)
  }
}

async function errorPayload(env: PageEnv, req: IncomingMessage, pathname: string, error: unknown, where: string, routeId: string | null): Promise<NavigationPayload> {
  const shape = toPublicError(error, env.dev, where)
  const htmlAttrs = await documentProps(env, req, {}, pathname, undefined).catch(() => ({}))
  return { route: { kind: 'error', id: routeId, error: shape, htmlAttrs, status: errorStatus(error) }, data: undefined }
}
