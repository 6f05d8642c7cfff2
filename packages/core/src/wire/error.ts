import type { ShownError, WireErrorShape } from './global.js'

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

/** The Error an error page is shown, built from what the server sent (in the browser and on the server alike). */
export function errorFromWire(shape: WireErrorShape): ShownError {
  const error: ShownError = new Error(shape.message)
  error.name = shape.name
  if (shape.digest) error.digest = shape.digest
  if (shape.source) error.source = shape.source
  // Only development sends a stack; one made here would point into the decoder (or, on the server, into Pareto).
  error.stack = shape.stack ?? ''
  return error
}
