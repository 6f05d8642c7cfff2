import type { WireErrorShape } from './global.js'

/** Tag of the turbo-stream plugin value carrying a public error. */
export const ERROR_TAG = 'pareto:error'

/** A server error already made safe to show; the encoder sends it as a plugin value, not as a raw Error. */
export class WireError {
  constructor(readonly shape: WireErrorShape) {}
  // React reads these when it reports the error for a boundary; they hold only what is safe to show.
  get message(): string {
    return this.shape.message
  }
  get stack(): string {
    return this.shape.stack ?? ''
  }
}

/** An Error built in the browser from what the server sent; `digest` matches the server's log line. */
export function errorFromWire(shape: WireErrorShape): Error & { digest?: string } {
  const error = new Error(shape.message) as Error & { digest?: string }
  error.name = shape.name
  if (shape.digest) error.digest = shape.digest
  // Only development sends a stack; a browser-side stack would point into the decoder, so production shows none.
  error.stack = shape.stack ?? ''
  return error
}
