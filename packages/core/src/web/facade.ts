import { bodyKind } from '../data/body.js'
import { HttpError } from '../data/errors.js'
import type { ReadBody } from '../data/types.js'
import { READ_BODY, WEB_REQUEST } from '../server/platform.js'
import type { PlatformRequest, PlatformResponse, RequestHeaders } from '../server/platform.js'

/**
 * The pipeline's request over a web `Request`: the members Node's request gives the pipeline and loaders
 * (`method`, `url` as path and query, lower-case `headers`), the body read through the Request, and the
 * Request itself for `ctx.request`.
 */
export class WebIncoming implements PlatformRequest {
  readonly method: string
  url: string
  readonly headers: RequestHeaders = {}
  readonly httpVersionMajor = 1
  readonly httpVersionMinor = 1
  readableEnded = false
  readonly socket: { encrypted: boolean }
  readonly [WEB_REQUEST]: Request

  constructor(request: Request) {
    const url = new URL(request.url)
    this.method = request.method
    this.url = url.pathname + url.search
    this.socket = { encrypted: url.protocol === 'https:' }
    this[WEB_REQUEST] = request
    for (const [name, value] of request.headers) this.headers[name] = value
    const cookies = request.headers.getSetCookie?.()
    if (cookies?.length) this.headers['set-cookie'] = cookies
    if (!this.headers.host) this.headers.host = url.host
  }

  /** Reads the body in full, as Node's reader does: 413 past `limit`, `undefined` for types handlers stream. */
  readonly [READ_BODY] = async (limit: number): Promise<ReadBody | undefined> => {
    const request = this[WEB_REQUEST]
    const type = request.headers.get('content-type') ?? ''
    const declared = Number(request.headers.get('content-length'))
    const tooLarge = (size: string) =>
      new HttpError(
        413,
        `Request body ${size}is larger than the ${limit}-byte limit. Raise bodyLimit in pareto.config.ts to accept larger bodies.`,
      )
    if (declared > limit) throw tooLarge(`of ${declared} bytes `)
    if (bodyKind(type) === 'raw' || !request.body || this.readableEnded) return undefined
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = request.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        void reader.cancel().catch(() => {})
        throw tooLarge('')
      }
      chunks.push(value)
    }
    this.readableEnded = true
    const bytes = new Uint8Array(size)
    let at = 0
    for (const c of chunks) {
      bytes.set(c, at)
      at += c.byteLength
    }
    return { bytes, type }
  }
}

const encoder = new TextEncoder()

/**
 * The pipeline's response as a streamed web `Response`: status and headers are fixed at the first write (as
 * Node's are), each write is a chunk of the body, and the client going away (the body cancelled) is the
 * `close` the pipeline listens for. `response` settles once the head is known.
 */
export class WebOutgoing implements PlatformResponse {
  statusCode = 200
  statusMessage = ''
  headersSent = false
  writableEnded = false
  writableFinished = false
  destroyed = false
  locals: Record<string, unknown> = {}
  readonly response: Promise<Response>
  readonly #headers = new Map<string, string | string[]>()
  readonly #onClose = new Set<() => void>()
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined
  #resolve!: (response: Response) => void

  constructor(private readonly head: boolean) {
    this.response = new Promise((resolve) => (this.#resolve = resolve))
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    if (this.headersSent) throw new Error(`Cannot set header ${name} after the response has started.`)
    this.#headers.set(name.toLowerCase(), typeof value === 'object' ? [...value] : String(value))
    return this
  }
  getHeader(name: string): string | string[] | undefined {
    return this.#headers.get(name.toLowerCase())
  }
  hasHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase())
  }
  getHeaderNames(): string[] {
    return [...this.#headers.keys()]
  }
  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase())
  }

  /** Sends the head: the Response, with a body stream unless there can be none. */
  #start(): void {
    if (this.headersSent) return
    this.headersSent = true
    const headers = new Headers()
    for (const [name, value] of this.#headers) {
      if (typeof value === 'string') headers.set(name, value)
      else for (const v of value) headers.append(name, v)
    }
    const status = this.statusCode
    const noBody = this.head || status === 204 || status === 304 || (status >= 100 && status < 200)
    const body = noBody
      ? null
      : new ReadableStream<Uint8Array>({
          start: (controller) => void (this.#controller = controller),
          cancel: () => this.#gone(),
        })
    this.#resolve(new Response(body, { status, statusText: this.statusMessage || undefined, headers }))
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.destroyed || this.writableEnded) return false
    this.#start()
    if (this.#controller) this.#controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
    return true
  }

  end(chunk?: string | Uint8Array): this {
    if (this.writableEnded) return this
    if (chunk !== undefined && (typeof chunk !== 'string' || chunk)) this.write(chunk)
    this.#start()
    this.writableEnded = true
    this.writableFinished = true
    try {
      this.#controller?.close()
    } catch {
      // Cancelled already: the client left just as the response ended.
    }
    this.#closed()
    return this
  }

  /** Compression is the runtime's or the CDN's on the web: nothing is held here. */
  flush(): void {}

  destroy(): this {
    if (this.destroyed) return this
    this.destroyed = true
    try {
      this.#controller?.error(new Error('The response was destroyed'))
    } catch {
      // Closed already.
    }
    if (!this.headersSent) {
      this.headersSent = true
      this.#resolve(new Response(null, { status: 500 }))
    }
    this.#closed()
    return this
  }

  /**
   * The client went away: the body was cancelled, or the request's signal aborted. Ignored once the response has
   * ended (Deno aborts the signal after every finished response; the loader's signal must not).
   */
  clientGone(): void {
    this.#gone()
  }

  #gone(): void {
    if (this.writableFinished || this.destroyed) return
    this.destroyed = true
    this.#closed()
  }

  #closed(): void {
    const listeners = [...this.#onClose]
    this.#onClose.clear()
    // After the current turn, as Node emits 'close'.
    if (listeners.length) queueMicrotask(() => listeners.forEach((fn) => fn()))
  }

  once(_event: 'close', listener: () => void): this {
    this.#onClose.add(listener)
    return this
  }
  on(event: 'close', listener: () => void): this {
    return this.once(event, listener)
  }
  off(_event: 'close', listener: () => void): this {
    this.#onClose.delete(listener)
    return this
  }
}
