const REDIRECT = Symbol.for('pareto.redirect')
const NOT_FOUND = Symbol.for('pareto.notFound')

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** What `redirect()` throws; the server answers with its status and `Location`. */
export interface RedirectSignal {
  readonly [REDIRECT]: true
  readonly location: string
  /** As given; absent means the default: 302 from a loader, 303 from an action. */
  readonly status?: number
}

/** What `notFound()` throws; the server renders not-found with status 404. */
export interface NotFoundSignal {
  readonly [NOT_FOUND]: true
}

/**
 * Redirects from a loader or action; it throws by itself, so `redirect('/login')` and `throw redirect('/login')`
 * both work (and `return redirect(…)` type-checks). Status defaults to 302 from a loader and 303 from an action
 * (so the browser follows a form post with a GET).
 */
export function redirect(url: string, status?: number): never {
  if (status !== undefined && !REDIRECT_STATUSES.has(status)) {
    throw new TypeError(
      `redirect("${url}", ${status}): ${status} is not a redirect status. Use 301, 302, 303, 307 or 308.`,
    )
  }
  const signal: RedirectSignal =
    status === undefined ? { [REDIRECT]: true, location: url } : { [REDIRECT]: true, location: url, status }
  throw signal
}

/** Renders not-found with status 404 from a loader or action; it throws by itself, so `notFound()` and `throw notFound()` both work. */
export function notFound(): never {
  const signal: NotFoundSignal = { [NOT_FOUND]: true }
  throw signal
}

/** True for the value `redirect()` throws. */
export function isRedirect(value: unknown): value is RedirectSignal {
  return typeof value === 'object' && value !== null && REDIRECT in value
}

/** True for the value `notFound()` throws. */
export function isNotFound(value: unknown): value is NotFoundSignal {
  return typeof value === 'object' && value !== null && NOT_FOUND in value
}
