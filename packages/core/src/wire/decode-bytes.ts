import { decodeFrames } from './decode.js'

/**
 * The frame decoder over bytes, as a navigation response body delivers them. A module of its own so that
 * it travels with the navigation chunk, not in every page's entry.
 */
export function decodeFrameBytes<T = unknown>(bytes: ReadableStream<Uint8Array>): Promise<T> {
  return decodeFrames<T>(bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>))
}
