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
}

/** The response as loaders see it: Node's response with Express's `status()` and `json()`. */
export interface LoaderResponse extends ServerResponse {
  status(code: number): this
  json(body: unknown): void
  locals: Record<string, unknown>
}

/** What every loader and action receives. */
export interface LoaderContext<P extends Params = Record<string, string>> {
  req: LoaderRequest
  res: LoaderResponse
  params: P
  /** Aborts when the client disconnects or the stream timeout fires. */
  signal: AbortSignal
}

/** A route's `loader` (or `action`). */
export type LoaderFunction<T = unknown> = (ctx: LoaderContext) => T | Promise<T>
