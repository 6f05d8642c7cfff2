import { bodyKind } from '../data/body.js'

/** What the origin check needs of a request: its method and headers, and whether it came over TLS. */
export interface OriginInput {
  method: string
  header(name: string): string | undefined
  secure: boolean
}

/** What the origin check needs of the config. */
export interface OriginPolicy {
  trustProxy: boolean
  allowedOrigins: readonly string[]
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The app's own origin for a request: its scheme and Host, or with `trustProxy` the proxy's forwarded ones. */
export function appOrigin(input: OriginInput, trustProxy: boolean): string {
  const first = (v: string | undefined) => v?.split(',')[0].trim() || undefined
  const proto = (trustProxy && first(input.header('x-forwarded-proto'))) || (input.secure ? 'https' : 'http')
  const host = (trustProxy && first(input.header('x-forwarded-host'))) || input.header('host') || 'localhost'
  return `${proto.toLowerCase()}://${host.toLowerCase()}`
}

/**
 * The CSRF check: a write (POST, PUT, PATCH, DELETE) whose body is a type a plain HTML form can send
 * (url-encoded, multipart, text/plain, or none given) and whose `Origin` is another site's gets refused.
 * Without `Origin`, `Sec-Fetch-Site: cross-site` refuses it too; a request with neither comes from no browser
 * (curl, a server) and passes. JSON bodies pass: a browser sends them cross-origin only after a CORS preflight.
 * Returns the refusal's text, or null.
 */
export function crossSiteProblem(input: OriginInput, policy: OriginPolicy, where: string): string | null {
  if (!WRITES.has(input.method)) return null
  const type = input.header('content-type')
  const kind = bodyKind(type)
  const formType = kind === 'form' || kind === 'multipart' || (kind === 'text' && !/^text\/(?!plain)/i.test(type ?? ''))
  if (!formType) return null
  const origin = input.header('origin')
  if (origin === undefined) {
    if (input.header('sec-fetch-site') !== 'cross-site') return null
  } else {
    const given = origin.toLowerCase()
    if (given === appOrigin(input, policy.trustProxy)) return null
    if (policy.allowedOrigins.some((o) => o.toLowerCase() === given)) return null
  }
  const from = origin === undefined ? 'another site (Sec-Fetch-Site: cross-site)' : origin
  return (
    `Forbidden: a cross-site form submission from ${from} to ${where} was refused (CSRF protection). ` +
    `If that origin is yours, add it to allowedOrigins in pareto.config.ts; behind a proxy that sets ` +
    `X-Forwarded-Host and X-Forwarded-Proto, set trustProxy: true.`
  )
}
