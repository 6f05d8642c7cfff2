import type { IncomingMessage } from 'node:http'
import { bodyKind, parseBody } from '../data/body.js'
import { HttpError } from '../data/errors.js'
import type { ReadBody } from '../data/types.js'
import { READ_BODY } from '../server/platform.js'
import type { PlatformRequest } from '../server/platform.js'

export { HttpError, bodyKind }

/** The default largest body read, in bytes (`bodyLimit` in pareto.config.ts). */
export const BODY_LIMIT = 1024 * 1024

/** How much of a refused body is still read (and dropped) so a client still sending sees the 413, not a reset. */
const DRAIN_BEYOND_LIMIT = 8 * 1024 * 1024

/**
 * Reads a request's body in full, refusing one over `limit` bytes with a 413 at once (by its Content-Length, or
 * as soon as it grows past the limit). The rest of a refused body is read and dropped in the background (up to
 * DRAIN_BEYOND_LIMIT), so a client still sending gets the answer instead of a reset. Bodies of other types than
 * JSON, forms and text (`application/octet-stream`, …) are left unread for the handler to stream (`undefined`),
 * unless their Content-Length is over the limit; a chunked one is the handler's to bound.
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
  if (declared > limit)
    return refuse(req, tooLarge(`of ${declared} bytes `, limit), declared <= limit + DRAIN_BEYOND_LIMIT)
  if (bodyKind(type) === 'raw') return Promise.resolve(undefined)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      done()
      refuse(req, tooLarge('', limit), true).catch(reject)
    }
    const onEnd = () => {
      done()
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
      resolve({ bytes: bytes as Uint8Array<ArrayBuffer>, type })
    }
    // The client went away mid-upload (Node's "aborted"): nobody is left to read the answer, nothing to log.
    const onClose = () => {
      done()
      reject(
        new HttpError(400, 'The request body ended early: the client closed the connection before sending all of it.'),
      )
    }
    const done = () => void req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose)
    req.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose)
  })
}

/** How long past the drain budget a connection still sending may stay open for its 413 to be read. */
const CUT_AFTER_MS = 2000

/** How long a refused body may pause before the 413 goes out: a client that waits for the answer gets it. */
const DRAIN_PAUSE_MS = 200

/**
 * Rejects with `error` once the rest of a refused body has been read and dropped — at its end, after it pauses
 * for DRAIN_PAUSE_MS (the client waits for the answer), or past DRAIN_BEYOND_LIMIT (the connection is cut) —
 * and keeps dropping what still comes, so a client still sending sees the answer, not a reset.
 */
function refuse(req: IncomingMessage, error: HttpError, drain: boolean): Promise<never> {
  if (!drain) return Promise.reject(error)
  return new Promise((_, reject) => {
    let left = DRAIN_BEYOND_LIMIT
    let answered = false
    let timer: NodeJS.Timeout | undefined
    const answer = () => {
      clearTimeout(timer)
      if (answered) return
      answered = true
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      left -= chunk.length
      if (left < 0) {
        // Enough: answer, stop reading (the client's writes back up), and cut the connection if it stays open.
        req.off('data', onData)
        req.pause()
        setTimeout(() => req.destroy(), CUT_AFTER_MS).unref()
        return answer()
      }
      if (answered) return
      clearTimeout(timer)
      timer = setTimeout(answer, DRAIN_PAUSE_MS)
    }
    req
      .on('data', onData)
      .once('end', answer)
      .once('close', answer)
      .on('error', () => {})
    timer = setTimeout(answer, DRAIN_PAUSE_MS)
    req.resume()
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
