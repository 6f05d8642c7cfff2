const REDIRECT = Symbol.for('pareto.redirect')
const NOT_FOUND = Symbol.for('pareto.notFound')

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** What `redirect()` throws; the server answers with its status and `Location`. */
export interface RedirectSignal {
  readonly [REDIRECT]: true
  readonly location: string
  readonly status: number
}

/** What `notFound()` throws; the server renders not-found with status 404. */
export interface NotFoundSignal {
  readonly [NOT_FOUND]: true
}

/** Throw from a loader or action to redirect: `throw redirect('/login')`. Status defaults to 302. */
export function redirect(url: string, status = 302): RedirectSignal {
  if (!REDIRECT_STATUSES.has(status)) {
    throw new TypeError(`redirect("${url}", ${status}): ${status} is not a redirect status. Use 301, 302, 303, 307 or 308.`)
  }
  return { [REDIRECT]: true, location: url, status }
}

/** Throw from a loader or action to render not-found with status 404: `throw notFound()`. */
export function notFound(): NotFoundSignal {
  return { [NOT_FOUND]: true }
}

/** True for the value `redirect()` returns. */
export function isRedirect(value: unknown): value is RedirectSignal {
  return typeof value === 'object' && value !== null && REDIRECT in value
}

/** True for the value `notFound()` returns. */
export function isNotFound(value: unknown): value is NotFoundSignal {
  return typeof value === 'object' && value !== null && NOT_FOUND in value
}
