import type { IncomingMessage, ServerResponse } from 'node:http'

/** The OWASP baseline response headers Pareto sets on every response. */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
]

/** Middleware that sets SECURITY_HEADERS on every response (headers already set by the app are kept). */
export function securityHeaders(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (_req, res, next) => {
    // First in the chain (as `pareto start` puts it) nothing is set yet, and the seven lookups can be skipped.
    const fresh = res.getHeaderNames().length === 0
    for (const [name, value] of SECURITY_HEADERS) if (fresh || !res.hasHeader(name)) res.setHeader(name, value)
    next()
  }
}
