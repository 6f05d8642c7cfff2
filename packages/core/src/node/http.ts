import { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { parse as parseCookies, serialize as serializeCookie } from 'cookie'
import type { CookieOptions } from '../data/types.js'
import { appendHeader } from './web-response.js'
import { NAVIGATION_RESPONSE } from '../server/platform.js'
import { encodeFrames } from '../wire/encode.js'
import { DATA_CONTENT_TYPE } from '../wire/protocol.js'
import { splitTarget } from '../server/url.js'
import type { PlatformRequest, PlatformResponse } from '../server/platform.js'

/** Query values as Express gives them: a string, or an array when a key repeats. */
export type Query = Record<string, string | string[]>

/**
 * Parses a query string into an object without a prototype, as Express 5 does: `?constructor=x` or
 * `?__proto__=x` are plain keys, never Object.prototype's members.
 */
export function parseQuery(search: string): Query {
  const out: Query = Object.create(null) as Query
  if (!search) return out
  for (const [key, value] of new URLSearchParams(search)) {
    const prev = out[key]
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return out
}

/** The longest request target Pareto answers, in bytes; a longer one gets 414. */
export const MAX_TARGET_LENGTH = 8 * 1024

/**
 * The origin form of a request target: an absolute-form target (`http://host/a?b`, as clients send to a
 * proxy) becomes `/a?b`; any other target is returned as it is.
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target
  const authority = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i.exec(target)
  if (!authority) return target
  const rest = target.slice(authority[0].length)
  return rest.startsWith('/') ? rest : '/' + rest
}

/** What a request target gets instead of routing: its status, text and any headers. */
export interface TargetProblem {
  status: number
  message: string
  headers?: Record<string, string>
}

/** Every method some URL of a Pareto app answers: pages take GET and HEAD, resource routes the rest. */
export const SERVER_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/** Answers a `CONNECT` (a tunnel request, for proxies) with 405; without a listener Node drops the connection unanswered. */
export function refuseTunnel(_req: IncomingMessage, socket: Duplex): void {
  const text = 'CONNECT is not supported: this is an application server, not a proxy.'
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${SERVER_METHODS}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  )
}

/**
 * Checks a request's target before anything routes it: absolute form is rewritten to its path in `req.url`;
 * a target over MAX_TARGET_LENGTH or one that is not a path comes back as the status and text to answer.
 */
export function targetProblem(req: PlatformRequest): TargetProblem | null {
  let url = req.url ?? '/'
  if (url.length > MAX_TARGET_LENGTH) {
    return {
      status: 414,
      message: `URI Too Long: the request target is ${url.length} bytes and Pareto answers targets of up to ${MAX_TARGET_LENGTH}. Send large inputs in a POST body instead of the URL.`,
    }
  }
  if (url.startsWith('/')) return null
  // `OPTIONS *` asks what the server as a whole answers (RFC 9110, 9.3.7).
  if (url === '*' && req.method === 'OPTIONS') return { status: 204, message: '', headers: { allow: SERVER_METHODS } }
  url = originForm(url)
  if (!url.startsWith('/'))
    return { status: 400, message: 'Bad Request: the request target must be a path starting with "/".' }
  req.url = url
  return null
}

const readers = {
  path: (req: PlatformRequest) => splitTarget(req.url).pathname,
  query: (req: PlatformRequest) => parseQuery(splitTarget(req.url).search),
  // Spread into a plain object: cookie's own result has a null prototype, which serializers and users do not expect.
  cookies: (req: PlatformRequest): Record<string, string | undefined> =>
    typeof req.headers.cookie === 'string' ? { ...parseCookies(req.headers.cookie) } : {},
  originalUrl: (req: PlatformRequest) => req.url ?? '/',
}

/** Express's `req.get(name)`: a header by name, case-insensitive, `Referer` and `Referrer` alike. */
function getHeader(this: PlatformRequest, name: string): string | undefined {
  const key = name.toLowerCase()
  const value = this.headers[key === 'referrer' ? 'referer' : key]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * The request a loader sees without Express: Express's common members, each parsed on first access.
 * Inside a user's Express app, loaders get Express's own request instead.
 */
export class ParetoRequest extends IncomingMessage {
  private parsedQuery?: Query
  private parsedCookies?: Record<string, string | undefined>
  body?: unknown
  get path(): string {
    return readers.path(this)
  }
  get query(): Query {
    return (this.parsedQuery ??= readers.query(this))
  }
  get cookies(): Record<string, string | undefined> {
    return (this.parsedCookies ??= readers.cookies(this))
  }
  private givenOriginalUrl?: string
  // Connect and Express assign originalUrl themselves when the request passes through them.
  get originalUrl(): string {
    return this.givenOriginalUrl ?? readers.originalUrl(this)
  }
  set originalUrl(value: string) {
    this.givenOriginalUrl = value
  }
  get(name: string): string | undefined {
    return getHeader.call(this, name)
  }
}

/** A Set-Cookie value with Express's option names (`maxAge` in ms, sets `Expires` too); `path` defaults to `/`. */
function setCookieValue(name: string, value: string, options: CookieOptions = {}): string {
  const { maxAge, ...rest } = options
  const opts: Parameters<typeof serializeCookie>[2] = { path: '/', ...rest }
  if (maxAge !== undefined && Number.isFinite(maxAge)) {
    opts.expires = new Date(Date.now() + maxAge)
    opts.maxAge = Math.floor(maxAge / 1000)
  }
  return serializeCookie(name, value, opts)
}

/** The response a loader sees without Express: `status()` and `json()` as in Express. */
export class ParetoResponse<Req extends IncomingMessage = IncomingMessage> extends ServerResponse<Req> {
  locals: Record<string, unknown> = {}
  status(code: number): this {
    this.statusCode = code
    return this
  }
  json(body: unknown): void {
    const text = JSON.stringify(body)
    if (!this.hasHeader('content-type')) this.setHeader('content-type', 'application/json; charset=utf-8')
    this.setHeader('content-length', Buffer.byteLength(text))
    this.end(text)
  }
  cookie(name: string, value: string, options?: CookieOptions): this {
    appendHeader(this, 'set-cookie', [setCookieValue(name, value, options)])
    return this
  }
  clearCookie(name: string, options?: CookieOptions): this {
    // As Express 5: the given options minus maxAge and expires, which would keep the cookie alive.
    const { maxAge: _maxAge, expires: _expires, ...rest } = options ?? {}
    appendHeader(this, 'set-cookie', [setCookieValue(name, '', { ...rest, expires: new Date(0) })])
    return this
  }
  redirect(statusOrUrl: number | string, maybeUrl?: string): void {
    const [status, url] = typeof statusOrUrl === 'number' ? [statusOrUrl, maybeUrl ?? '/'] : [302, statusOrUrl]
    if ((this as { [NAVIGATION_RESPONSE]?: boolean })[NAVIGATION_RESPONSE]) {
      // A client navigation's fetch would follow a 3xx to HTML it cannot read: the router follows this frame.
      this.statusCode = 200
      this.setHeader('content-type', DATA_CONTENT_TYPE)
      this.setHeader('cache-control', 'no-store')
      return void this.end(encodeFrames({ route: { kind: 'redirect', location: url, status } }) as string)
    }
    this.statusCode = status
    this.setHeader('location', url)
    this.setHeader('content-length', 0)
    this.end()
  }
}

const responseMembers = ['status', 'json', 'cookie', 'clearCookie', 'redirect'] as const
const readerNames = Object.keys(readers) as (keyof typeof readers)[]

/**
 * The property each missing member gets: a getter that parses on first access and caches the value, as the
 * class does. Made once, not per request (bench/NOTES.md, "RequestContext").
 */
const lazyMembers = Object.fromEntries(
  readerNames.map((name) => {
    const read = readers[name]
    const descriptor: PropertyDescriptor = {
      configurable: true,
      enumerable: true,
      get(this: IncomingMessage) {
        const v = read(this)
        Object.defineProperty(this, name, { value: v, writable: true, configurable: true, enumerable: true })
        return v
      },
    }
    return [name, descriptor]
  }),
) as Record<keyof typeof readers, PropertyDescriptor>

/**
 * Gives a plain Node request/response the Express members loaders use, defining only the ones missing
 * (so Express's own win). Servers made by Pareto use the classes above and skip this work.
 */
export function ensureExpressMembers(req: PlatformRequest, res: PlatformResponse): void {
  if (req instanceof ParetoRequest) return
  for (const name of readerNames) {
    if (!(name in req)) Object.defineProperty(req, name, lazyMembers[name])
  }
  if (typeof (req as { get?: unknown }).get !== 'function')
    (req as unknown as { get: typeof getHeader }).get = getHeader
  for (const name of responseMembers) {
    if (typeof (res as unknown as Record<string, unknown>)[name] !== 'function') {
      ;(res as unknown as Record<string, unknown>)[name] = ParetoResponse.prototype[name]
    }
  }
  if (!('locals' in res)) (res as unknown as { locals: object }).locals = {}
}

/**
 * The request/response classes for Pareto's own http server. With a user's Express app (`app.ts`) they are
 * Node's plain ones: Express 4 swaps the request's prototype for its own, which would drop the members our
 * classes define (`req.query` was undefined inside the app's routes), and the app must get Express's objects
 * untouched. Pareto's handler then adds only the members Express lacks (ensureExpressMembers).
 */
export function serverClasses(userApp: unknown): {
  IncomingMessage: typeof IncomingMessage
  ServerResponse: typeof ServerResponse
} {
  if (userApp) return { IncomingMessage, ServerResponse }
  return { IncomingMessage: ParetoRequest, ServerResponse: ParetoResponse as unknown as typeof ServerResponse }
}
