import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadBody } from '../data/types.js'
import type { PlatformRequest } from '../server/platform.js'
import { isSecure, WEB_REQUEST } from '../server/platform.js'

/** The request's own origin as the server sees it: `http(s)://` and the Host header. */
export function ownOrigin(req: PlatformRequest): string {
  const secure = isSecure(req)
  return `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`
}

/**
 * A web-standard `Request` for a Node request: its method, URL (origin from the Host header), headers, and the
 * body — the bytes already read for an action, else the request stream itself for a body left unread.
 */
export function webRequest(req: PlatformRequest, body: ReadBody | undefined, signal: AbortSignal): Request {
  // The web layer's request is the platform's own Request already.
  const own = (req as { [WEB_REQUEST]?: Request })[WEB_REQUEST]
  if (own) return own
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, value)
  }
  const method = req.method ?? 'GET'
  let url: URL
  try {
    url = new URL(req.url ?? '/', ownOrigin(req))
  } catch {
    // A Host header that is not a host name: the path still tells the loader where it is.
    url = new URL(req.url ?? '/', 'http://localhost')
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal }
  if (method !== 'GET' && method !== 'HEAD') {
    if (body) init.body = body.bytes
    else if (!req.readableEnded) {
      init.body = Readable.toWeb(req as IncomingMessage) as ReadableStream<Uint8Array>
      init.duplex = 'half'
    }
  }
  return new Request(url, init)
}
