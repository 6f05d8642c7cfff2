import type { IncomingMessage } from 'node:http'
import { bodyKind, parseBody } from '../data/body.js'
import { HttpError } from '../data/errors.js'
import type { ReadBody } from '../data/types.js'

export { HttpError, bodyKind }

/** The default largest body read, in bytes (`bodyLimit` in pareto.config.ts). */
export const BODY_LIMIT = 1024 * 1024

/**
 * Reads a request's body in full, refusing one over `limit` bytes with a 413 (before reading, when
 * Content-Length says so). Bodies of other types than JSON, forms and text (`application/octet-stream`, …) are
 * left unread for the handler to stream from the request: the answer is `undefined` then.
 */
export async function readBodyBytes(req: IncomingMessage, limit = BODY_LIMIT): Promise<ReadBody | undefined> {
  const type = req.headers['content-type'] ?? ''
  if (bodyKind(type) === 'raw') return undefined
  const declared = Number(req.headers['content-length'])
  if (declared > limit) throw tooLarge(`of ${declared} bytes `, limit)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limit) throw tooLarge('', limit)
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof HttpError) throw error
    // The client went away mid-upload (Node's "aborted"): nobody is left to read the answer, nothing to log.
    throw new HttpError(400, 'The request body ended early: the client closed the connection before sending all of it.')
  }
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
  return { bytes: bytes as Uint8Array<ArrayBuffer>, type }
}

function tooLarge(size: string, limit: number): HttpError {
  return new HttpError(
    413,
    `Request body ${size}is larger than the ${limit}-byte limit. Raise bodyLimit in pareto.config.ts to accept larger bodies.`,
  )
}

/**
 * Reads and parses a body as Express's parsers would (JSON, url-encoded, text), refusing oversized or malformed
 * ones with 413/400. Multipart and other types give `undefined` (`ctx.formData()` reads multipart).
 */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<unknown> {
  const body = await readBodyBytes(req, limit)
  return body && parseBody(body)
}
