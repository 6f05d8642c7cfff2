import type { ErrorSource, WireErrorShape } from './global.js'

/**
 * A server error already made safe to show (message and stack decided by mode), carrying the digest
 * that ties it to the server's log line. The encoder sends it whole; React sees a real Error.
 */
export class WireError extends Error {
  readonly digest?: string
  constructor(readonly shape: WireErrorShape) {
    super(shape.message)
    this.name = shape.name
    this.digest = shape.digest
    this.stack = shape.stack ?? ''
  }
}

/** An Error built in the browser from what the server sent; `digest` matches the server's log line. */
export function errorFromWire(shape: WireErrorShape): Error & { digest?: string; source?: ErrorSource } {
  const error = new Error(shape.message) as Error & { digest?: string; source?: ErrorSource }
  error.name = shape.name
  if (shape.digest) error.digest = shape.digest
  if (shape.source) error.source = shape.source
  // Only development sends a stack; a browser-side stack would point into the decoder, so production shows none.
  error.stack = shape.stack ?? ''
  return error
}
