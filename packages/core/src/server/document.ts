import { createElement } from 'react'
import { errorStatus, toPublicError } from '../data/errors.js'
import type { PublicError } from '../data/errors.js'
import { ParetoApp } from '../render/app.js'
import type { AppProps, HtmlAttributes } from '../render/app.js'
import type { Navigator } from '../render/context.js'
import { documentHead } from '../render/head.js'
import type { Params } from '../routes/types.js'
import { encodeFrames } from '../wire/encode.js'
import { pageData } from '../wire/protocol.js'
import type { RouteData } from '../render/context.js'
import { sendWebResponse } from '../node/web-response.js'
import type { BootRoute } from '../wire/global.js'
import { errorPage, errorPlan, notFoundPlan, pagePlan } from './plan.js'
import type { ViewPlan } from './plan.js'
import type { PageRequest } from './request.js'
import type { ResolvedPage } from './resolve.js'
import type { ShellGate } from './shell-budget.js'
import { ShellError, streamDocument } from './stream.js'
import { splitTarget } from './url.js'

const duringRender = (what: string) => () => {
  throw new Error(`${what} cannot run during server rendering. Call it from an event handler or an effect.`)
}

const serverNavigator: Navigator = {
  isNavigating: false,
  state: 'idle',
  submission: undefined,
  navigate: duringRender('push()/replace()'),
  back() {},
  prefetch() {},
  submit: duringRender('A form submission'),
  refresh: duringRender('refresh()'),
  fetch: duringRender('A fetcher'),
}

/** What a document renders besides its view: the loader data, params, status, and the route it is for. */
interface Shown {
  plan: ViewPlan
  data: RouteData
  /** What the page's action returned (a form posted without JavaScript). */
  action?: unknown
  params: Params
  status: number
  routeId: string | null
  htmlAttrs: HtmlAttributes
  error?: PublicError
  bare?: boolean
  gate?: ShellGate
}

const NO_DATA: RouteData = Object.freeze({}) as RouteData

/** A body refused before the action ran: plain text; a 413's unread rest means the connection cannot carry another request. */
export function refuse(res: PageRequest['res'], status: number, message: string): void {
  if (res.headersSent) return void res.end()
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  if (status === 413) res.setHeader('connection', 'close')
  res.end(message)
}

/** Sends a resolved page as an HTML document: nothing more, a redirect, or a streamed page, not-found or error page. */
export function sendDocument(r: PageRequest, page: ResolvedPage): Promise<void> | void {
  const { env, res } = r
  try {
    switch (page.kind) {
      case 'answered':
        return
      case 'redirect':
        res.statusCode = page.status
        res.setHeader('location', page.location)
        return void res.end()
      case 'response':
        return sendWebResponse(res, page.response)
      case 'refused':
        return refuse(res, page.status, page.message)
      case 'error':
        return sendErrorDocument(r, page.error, page.status, page.routeId, page.htmlAttrs, page.data)
      case 'not-found':
        return render(r, {
          plan: notFoundPlan(env),
          data: page.data ?? NO_DATA,
          params: {},
          status: 404,
          routeId: null,
          htmlAttrs: page.htmlAttrs,
        }).catch((e: unknown) => renderFailed(r, e, null, page.htmlAttrs, page.data))
      case 'page': {
        const shown: Shown = {
          plan: pagePlan(env, page.route),
          data: page.data ?? NO_DATA,
          action: page.action,
          params: page.params,
          status: page.status,
          routeId: page.route.id,
          htmlAttrs: page.htmlAttrs,
          gate: page.gate,
        }
        return render(r, shown).catch((e: unknown) => renderFailed(r, e, page.route.id, page.htmlAttrs, page.data))
      }
    }
  } catch (error) {
    // A route file that is not a component, say: the error page names it.
    return renderFailed(r, error, r.route?.id ?? null, {})
  }
}

/** An error no boundary of the app caught while rendering: the error page instead. */
function renderFailed(
  r: PageRequest,
  error: unknown,
  routeId: string | null,
  htmlAttrs: HtmlAttributes,
  data?: RouteData,
): Promise<void> {
  const original = error instanceof ShellError ? error.original : error
  return sendErrorDocument(
    r,
    toPublicError(original, r.env.dev, `rendering ${r.where} failed`),
    errorStatus(original),
    routeId,
    htmlAttrs,
    data,
  )
}

/** Renders a view for the request and streams it; resolves once the shell is sent. */
function render(r: PageRequest, s: Shown): Promise<void> {
  const { env, req, res } = r
  const { pathname, search } = splitTarget(req.url)
  const boot: BootRoute = {
    id: s.routeId,
    kind: s.plan.view.kind,
    pathname,
    search,
    params: s.params,
    htmlAttrs: s.htmlAttrs,
    error: s.error,
  }
  if (s.bare) boot.bare = true
  const flushHint = env.build.config.wkWebViewFlushHint
  if (flushHint) boot.flushHint = true
  if (env.build.config.viewTransitions) boot.viewTransitions = true
  // A Content-Security-Policy nonce set by the app's middleware goes on every script Pareto or React writes.
  const given = (res as { locals?: { cspNonce?: unknown } }).locals?.cspNonce
  const nonce = typeof given === 'string' && given ? given : undefined
  const page = s.plan.view.files.page
  const props: AppProps = {
    state: { pathname, search, params: s.params, data: s.data, actionData: s.action },
    view: s.plan.view,
    headTags: documentHead(s.plan.heads, {
      loaderData: page === undefined ? undefined : s.data[page],
      params: s.params,
    }),
    htmlAttrs: s.htmlAttrs,
    navigator: serverNavigator,
    assets: s.plan.assets,
    nonce,
    errorPage: errorPage(env),
    flushHint,
  }
  // The frames are not tied to the cancel: after a timeout the encoder must still send each rejection.
  return streamDocument(r, {
    element: createElement(ParetoApp, props),
    boot,
    frames: encodeFrames(pageData(s.data, s.action)),
    status: s.status,
    nonce,
    gate: s.gate,
  })
}

/**
 * Sends the error document inside the root layout; if that fails, without it (the layout or root head may be
 * what failed); if even that fails, a plain-text 500, so the response always ends.
 */
async function sendErrorDocument(
  r: PageRequest,
  error: PublicError,
  status: number,
  routeId: string | null,
  htmlAttrs: HtmlAttributes,
  data: RouteData = NO_DATA,
): Promise<void> {
  const { env, res } = r
  const attempt = (bare: boolean) =>
    render(r, {
      plan: errorPlan(env, error, bare),
      data: bare ? NO_DATA : data,
      params: {},
      status,
      routeId,
      htmlAttrs,
      error,
      bare: bare && !!env.build.table.rootLayout,
    })
  try {
    return await attempt(false)
  } catch (first) {
    // Often the root layout or head failing again; the bare page gets its own chance.
    if (env.dev)
      console.warn(
        `[pareto] the error page could not render inside the root layout for ${r.where}, so it is shown alone:`,
        first instanceof ShellError ? first.original : first,
      )
  }
  if (res.headersSent) return void res.end()
  try {
    await attempt(true)
  } catch (second) {
    console.error(
      `[pareto] the error page itself failed to render for ${r.where}:`,
      second instanceof ShellError ? second.original : second,
    )
    if (!res.headersSent) {
      res.statusCode = 500
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end('Internal Server Error')
    } else res.end()
  }
}
