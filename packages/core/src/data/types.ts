import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Params } from '../routes/types.js'

/** The request as loaders see it: Node's request with Express's common members. */
export interface LoaderRequest extends IncomingMessage {
  url: string
  method: string
  path: string
  originalUrl: string
  query: Record<string, string | string[] | undefined>
  cookies: Record<string, string | undefined>
  /** Parsed body of an action request (JSON, form or text). */
  body?: unknown
  /** A request header by name, case-insensitive (`Referer` and `Referrer` are one), as Express's `req.get()`. */
  get(name: string): string | undefined
}

/** Options of `ctx.res.cookie()` and `clearCookie()`, as Express takes them (`maxAge` in milliseconds). */
export interface CookieOptions {
  maxAge?: number
  expires?: Date
  httpOnly?: boolean
  secure?: boolean
  sameSite?: boolean | 'lax' | 'strict' | 'none'
  path?: string
  domain?: string
  partitioned?: boolean
  priority?: 'low' | 'medium' | 'high'
}

/** The response as loaders see it: Node's response with Express's `status()`, `json()`, cookies and `redirect()`. */
export interface LoaderResponse extends ServerResponse {
  status(code: number): this
  json(body: unknown): void
  /** Adds a `Set-Cookie` header (several calls add several); `path` defaults to `/`. */
  cookie(name: string, value: string, options?: CookieOptions): this
  /** Tells the browser to drop a cookie; give the `path`/`domain` it was set with. */
  clearCookie(name: string, options?: CookieOptions): this
  /** Answers with a redirect at once (302 unless a status is given), as Express's `res.redirect()`. */
  redirect(url: string): void
  redirect(status: number, url: string): void
  locals: Record<string, unknown>
}

/** What every loader and action receives. */
export interface LoaderContext<P extends Params = Record<string, string>> {
  req: LoaderRequest
  res: LoaderResponse
  params: P
  /** Aborts when the client disconnects, the stream timeout fires, or a newer navigation supersedes this one. */
  signal: AbortSignal
  /** The request as a web-standard `Request` (made on first access); an action's body is readable from it. */
  readonly request: Request
  /**
   * The body of an action request as `FormData` (url-encoded or multipart; files arrive as `File`s). Rejects with
   * a 400 for a malformed body, and for a request without a form body.
   */
  formData(): Promise<FormData>
}

/** What an action receives: the loader's context, run for POST, PUT, PATCH and DELETE. */
export type ActionContext<P extends Params = Record<string, string>> = LoaderContext<P>

/** A route's `loader` (or `action`). */
export type LoaderFunction<T = unknown> = (ctx: LoaderContext) => T | Promise<T>

/** A request body read in full before the action runs (bounded by `bodyLimit`). */
export interface ReadBody {
  bytes: Uint8Array<ArrayBuffer>
  /** The request's Content-Type, as sent. */
  type: string
}
