import { reportError } from '../data/errors.js'
import { encodeFrames } from '../wire/encode.js'
import { DATA_CONTENT_TYPE, pageData } from '../wire/protocol.js'
import { refuse } from './document.js'
import { appendHeader } from '../node/web-response.js'
import type { NavigationPayload } from '../wire/protocol.js'
import { abortOnClientGone, armStreamTimeout } from './cancel.js'
import type { PageRequest } from './request.js'
import type { ResolvedPage } from './resolve.js'
import type { ShellGate } from './shell-budget.js'

/** What the router needs to know of a resolved page: where it goes, what it shows, and its data. */
function payloadOf(page: Exclude<ResolvedPage, { kind: 'answered' | 'response' | 'refused' }>): NavigationPayload {
  switch (page.kind) {
    case 'redirect':
      return { route: { kind: 'redirect', location: page.location, status: page.status } }
    case 'not-found':
      return { route: { kind: 'not-found', htmlAttrs: page.htmlAttrs, status: 404 }, ...pageData(page.data, undefined) }
    case 'error':
      return {
        route: { kind: 'error', id: page.routeId, error: page.error, htmlAttrs: page.htmlAttrs, status: page.status },
        ...pageData(page.data, undefined),
      }
    case 'page':
      return {
        route: { kind: 'page', id: page.route.id, params: page.params, htmlAttrs: page.htmlAttrs, status: page.status },
        ...pageData(page.data, page.action),
      }
  }
}

/** The answer for a target that is not a page (a resource route): the browser loads it itself. */
export const NOT_A_PAGE: NavigationPayload = { route: { kind: 'document' } }

/**
 * What the router is told of a `Response` a loader or action gave: a redirect to follow, not-found, or the
 * error page with its status (the router cannot show the Response itself).
 */
function responsePayload(r: PageRequest, response: Response): NavigationPayload {
  const location = response.headers.get('location')
  if (response.status >= 300 && response.status < 400 && location)
    return { route: { kind: 'redirect', location, status: response.status } }
  void response.body?.cancel().catch(() => {})
  if (response.status === 404) return { route: { kind: 'not-found', htmlAttrs: {}, status: 404 } }
  const message = `${r.where} answered with a Response of status ${response.status}, which client navigation cannot show.`
  return {
    route: {
      kind: 'error',
      id: r.route?.id ?? null,
      error: { name: 'Error', message: r.env.dev ? message : `The server answered ${response.status}.` },
      htmlAttrs: {},
      status: response.status >= 400 ? response.status : 500,
    },
  }
}

/**
 * Sends a resolved page as a client navigation's data: the same frames as the document's inline scripts,
 * written as lines as their promises settle, with a flush each.
 */
export function sendNavigation(r: PageRequest, page: ResolvedPage): Promise<void> | void {
  switch (page.kind) {
    case 'answered':
      return
    case 'refused':
      return refuse(r.res, page.status, page.message)
    case 'response': {
      // Its cookies still apply (a sign-in answered with a redirect Response): the browser stores them from here.
      const cookies = page.response.headers.getSetCookie()
      if (cookies.length) appendHeader(r.res, 'set-cookie', cookies)
      return sendPayload(r, responsePayload(r, page.response))
    }
    default:
      return sendPayload(r, payloadOf(page), page.kind === 'page' ? page.gate : undefined)
  }
}

/**
 * Writes a navigation payload as frame lines. While `gate` holds (the shell budget), lines are kept and then
 * written together, so values that came fast arrive with the first frame and the router never shows their fallback.
 */
export function sendPayload(r: PageRequest, payload: NavigationPayload, gate?: ShellGate): Promise<void> | void {
  const res = r.res as typeof r.res & { flush?: () => void }
  res.statusCode = 200
  res.setHeader('content-type', DATA_CONTENT_TYPE)
  res.setHeader('cache-control', 'no-store')
  res.setHeader('x-accel-buffering', 'no')
  const build = r.env.build.buildId
  const frames = encodeFrames(build === undefined ? payload : { ...payload, build })
  // Complete already (plain JSON data): one write.
  if (typeof frames === 'string') return void res.end(frames)
  // A superseded navigation or a closed tab aborts the fetch: the loader's signal aborts, nothing is logged.
  const timeout = armStreamTimeout(r.cancel, r.env.build.config.streamTimeout)
  const stopWatching = abortOnClientGone(res, r.cancel, () => timeout.disarm())
  let held: string | null = gate?.holding ? '' : null
  gate?.whenOpen(() => {
    if (held && !res.destroyed) {
      res.write(held)
      res.flush?.()
    }
    held = null
  })
  return new Promise<void>((resolve) =>
    frames.listen(
      (head, body) => {
        if (res.destroyed) return // the encoder still ends: the cancel has settled every promise
        if (held !== null) return void (held += `${head}${body}\n`)
        res.write(`${head}${body}\n`)
        res.flush?.()
      },
      (error) => {
        if (error !== undefined) reportError(error, `while encoding navigation data for ${r.where}`)
        timeout.disarm()
        stopWatching()
        if (!res.writableEnded) res.end(held ?? undefined)
        held = null
        resolve()
      },
    ),
  )
}
