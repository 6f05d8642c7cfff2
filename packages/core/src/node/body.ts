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

/** Reads and parses an action's body (JSON, urlencoded or text), refusing oversized or malformed ones with 413/400. */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<unknown> {
  const declared = Number(req.headers['content-length'])
  if (declared > limit)
    throw new HttpError(413, `Request body of ${declared} bytes is larger than the ${limit}-byte limit.`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new HttpError(413, `Request body is larger than the ${limit}-byte limit.`)
    chunks.push(chunk)
  }
  if (size === 0) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text)
    } catch {
      throw new HttpError(
        400,
        'Request body is not valid JSON. Send a JSON document with Content-Type: application/json.',
      )
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text))
  return text
}
