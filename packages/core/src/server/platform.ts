/**
 * What the page pipeline needs of a request and a response, and nothing more: Node's `IncomingMessage` and
 * `ServerResponse` have these members (so `pareto start` passes its own objects, at no cost), and the web layer
 * (web/) makes objects with them over a `Request` and a streamed `Response`.
 */

/** Where the web layer keeps the `Request` a pipeline request was made from (`ctx.request` is that one). */
export const WEB_REQUEST = Symbol.for('pareto.webRequest')

/** Where the web layer keeps how to read the body of a pipeline request it made (Node's are streams). */
export const READ_BODY = Symbol.for('pareto.readBody')

/** Marks a response that answers a client navigation (navigation frames, not a document). */
export const NAVIGATION_RESPONSE = Symbol.for('pareto.navigationResponse')

/** Request headers as Node gives them: lower-case names, repeated ones as arrays. */
export type RequestHeaders = Record<string, string | string[] | undefined>

/** The request as the pipeline reads it. */
export interface PlatformRequest {
  method?: string
  url?: string
  headers: RequestHeaders
  httpVersionMajor: number
  httpVersionMinor: number
  /** The body has been read to its end (by a body parser of the app's, say). */
  readonly readableEnded: boolean
  /** Node's socket, or the web layer's stand-in: its `encrypted` says the request came over TLS (isSecure). */
  readonly socket?: unknown
}

/** Whether a request came over TLS (to the server itself; behind a proxy see trustProxy). */
export function isSecure(req: PlatformRequest): boolean {
  return (req.socket as { encrypted?: boolean } | null | undefined)?.encrypted === true
}

/** The response as the pipeline writes it: status, headers, the body in chunks, and whether the client is gone. */
export interface PlatformResponse {
  statusCode: number
  statusMessage: string
  readonly headersSent: boolean
  readonly writableEnded: boolean
  readonly writableFinished: boolean
  readonly destroyed: boolean
  setHeader(name: string, value: number | string | readonly string[]): unknown
  getHeader(name: string): number | string | string[] | undefined
  hasHeader(name: string): boolean
  getHeaderNames(): string[]
  write(chunk: string | Uint8Array): boolean
  end(chunk?: string | Uint8Array): unknown
  /** Makes compression emit what it holds (set by the compression layer when there is one). */
  flush?(): void
  /** Ends the response at once, as when the connection is cut. */
  destroy(): unknown
  /** 103 Early Hints, where the server can send them. */
  writeEarlyHints?(hints: Record<string, string | string[]>): void
  once(event: 'close', listener: () => void): unknown
  off(event: 'close', listener: () => void): unknown
}
