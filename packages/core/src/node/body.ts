import type { IncomingMessage } from 'node:http'
import { bodyKind, parseBody } from '../data/body.js'
import { HttpError } from '../data/errors.js'
import type { ReadBody } from '../data/types.js'
import { READ_BODY } from '../server/platform.js'
import type { PlatformRequest } from '../server/platform.js'

export { HttpError, bodyKind }

/** The default largest body read, in bytes (`bodyLimit` in pareto.config.ts). */
export const BODY_LIMIT = 1024 * 1024

/** How much of a refused body is still read (and dropped) so the client sees the 413 instead of a broken pipe. */
const DRAIN_BEYOND_LIMIT = 8 * 1024 * 1024

/**
 * Reads a request's body in full, refusing one over `limit` bytes with a 413. The rest of a refused body is
 * read and dropped (up to DRAIN_BEYOND_LIMIT more), so the client, still sending, gets the answer instead of a
 * reset; a body that declares more than that is refused at once. Bodies of other types than JSON, forms and text
 * (`application/octet-stream`, …) are left unread for the handler to stream (`undefined`), unless their
 * Content-Length is over the limit; a chunked one is the handler's to bound.
 */
export function readBodyBytes(platformReq: PlatformRequest, limit = BODY_LIMIT): Promise<ReadBody | undefined> {
  // The web layer reads its Request's body its own way.
  const read = (platformReq as { [READ_BODY]?: (limit: number) => Promise<ReadBody | undefined> })[READ_BODY]
  if (read) return read(limit)
  const req = platformReq as IncomingMessage
  const type = req.headers['content-type'] ?? ''
  // Read already (by a body parser of the app's own): nothing is left to come.
  if (req.readableEnded) return Promise.resolve(undefined)
  const declared = Number(req.headers['content-length'])
  // Other types stream to the handler unread; one that says it is too large is refused all the same.
  if (bodyKind(type) === 'raw')
    return declared > limit ? Promise.reject(tooLarge(`of ${declared} bytes `, limit)) : Promise.resolve(undefined)
  if (declared > limit + DRAIN_BEYOND_LIMIT) return Promise.reject(tooLarge(`of ${declared} bytes `, limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = declared > limit
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      if (!over) return void chunks.push(chunk)
      chunks.length = 0
      if (size > limit + DRAIN_BEYOND_LIMIT) done(tooLarge('', limit))
    }
    const onEnd = () => {
      if (over) return done(tooLarge(declared > limit ? `of ${declared} bytes ` : '', limit))
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
      done(undefined, { bytes: bytes as Uint8Array<ArrayBuffer>, type })
    }
    // The client went away mid-upload (Node's "aborted"): nobody is left to read the answer, nothing to log.
    const onClose = () =>
      done(
        new HttpError(400, 'The request body ended early: the client closed the connection before sending all of it.'),
      )
    const done = (error?: HttpError, body?: ReadBody) => {
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose)
      if (error) {
        // Stop reading: what is left of the body is not ours to wait for.
        req.pause()
        reject(error)
      } else resolve(body)
    }
    req.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose)
  })
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
export async function readBody(req: PlatformRequest, limit = BODY_LIMIT): Promise<unknown> {
  const body = await readBodyBytes(req, limit)
  return body && parseBody(body)
}
