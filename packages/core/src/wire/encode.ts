import { encode } from 'turbo-stream'
import { ERROR_TAG, WireError } from './error.js'

/**
 * Encodes loader data as a stream of text frames: the first carries the plain values and a reference
 * for each pending promise, each later one settles a promise. The same frames feed the HTML document
 * (inline scripts) and navigation (lines); `decodeFrames` reads both.
 */
export function encodeFrames(data: unknown): ReadableStream<string> {
  return encode(data, {
    // Errors the loader returns as data are the app's to show; rejections arrive here already made public as WireError.
    redactErrors: false,
    plugins: [(value) => (value instanceof WireError ? [ERROR_TAG, value.shape] : undefined)],
  })
}
