import type { IncomingMessage } from 'node:http'

/** An error whose status and message are safe to send as they are. */
export class HttpError extends Error {
  readonly expose = true
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The largest action body read, in bytes. */
export const BODY_LIMIT = 1024 * 1024

/** How Pareto reads a body of a media type: parsed as JSON, as a form, as text, or not at all (`raw`). */
export function bodyKind(contentType: string | undefined): 'json' | 'form' | 'text' | 'raw' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type === '' || type.startsWith('text/')) return 'text'
  return 'raw'
}

/**
 * Reads and parses an action's body (JSON, urlencoded or text), refusing oversized or malformed ones with 413/400.
 * A body of any other type (`application/octet-stream`, `multipart/form-data`, …) is left unread for the action
 * to stream from the request itself: the answer is `undefined` then.
 */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<unknown> {
  const kind = bodyKind(req.headers['content-type'])
  if (kind === 'raw') return undefined
  const declared = Number(req.headers['content-length'])
  if (declared > limit)
    throw new HttpError(413, `Request body of ${declared} bytes is larger than the ${limit}-byte limit.`)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limit) throw new HttpError(413, `Request body is larger than the ${limit}-byte limit.`)
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof HttpError) throw error
    // The client went away mid-upload (Node's "aborted"): nobody is left to read the answer, nothing to log.
    throw new HttpError(400, 'The request body ended early: the client closed the connection before sending all of it.')
  }
  if (size === 0) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  if (kind === 'json') {
    try {
      return JSON.parse(text)
    } catch (error) {
      throw new HttpError(
        400,
        `Request body is not valid JSON (${(error as Error).message}). Send a JSON document with Content-Type: application/json.`,
      )
    }
  }
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text))
  return text
}
