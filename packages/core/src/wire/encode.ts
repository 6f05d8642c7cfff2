import { encode } from 'turbo-stream'
import { WireError } from './error.js'
import { ERROR_TAG, JSON_FRAME, JSON_TAG, MAP_TAG, OBJECT_TAG, SET_TAG, UNDEFINED_TAG } from './tags.js'
import { isPlainJson } from './plain-json.js'
import { JsonBox, wireView } from './wire-view.js'

/** Encoded frames: a stream of bytes as promises settle, or, when the data is complete already, all of it as text. */
export type EncodedFrames = ReadableStream<Uint8Array> | string

/**
 * Encodes loader data as text frames: the first line carries the plain values and a reference for each
 * pending promise, each later line settles one promise. The same frames feed the HTML document (inline
 * scripts) and navigation (lines); `decodeFrames` reads both.
 *
 * Data that JSON carries exactly (no promise, Date, Map, undefined, shared object…) is one line of JSON
 * marked `J`: JSON.stringify is several times faster than turbo-stream's encoder, and most loaders
 * return such data. Everything else goes through turbo-stream, as bytes: the navigation path writes them
 * as they are, and the document path decodes them with one TextDecoder.
 */
export function encodeFrames(data: unknown): EncodedFrames {
  if (data !== undefined && isPlainJson(data)) return JSON_FRAME + JSON.stringify(data) + '\n'
  return encode(wireView(data), { plugins: [encodePlugin], postPlugins: [fallbackPlugin] })
}

/** All frames of a page without loader data, encoded once: most pages have none, and each is the same. */
export const NO_DATA_FRAMES: string = await new Response(encodeFrames(undefined) as ReadableStream<Uint8Array>).text()

// Plugins run before turbo-stream's own handling. A WireError keeps its digest (and dev stack); Maps and Sets
// go as arrays because turbo-stream 2.4's decoder rebuilds them in reverse insertion order.
function encodePlugin(value: unknown): [string, ...unknown[]] | false {
  if (value instanceof JsonBox) return [JSON_TAG, JSON.stringify(value.value)]
  if (value instanceof WireError) return [ERROR_TAG, value.shape]
  if (value instanceof Map) return [MAP_TAG, [...value]]
  if (value instanceof Set) return [SET_TAG, [...value]]
  return false
}

// Values turbo-stream cannot encode would fail the whole stream and leave promises pending in the browser.
// They go the way JSON.stringify takes them: class instances as their own enumerable fields, functions as undefined.
function fallbackPlugin(value: unknown): [string, ...unknown[]] | false {
  if (typeof value === 'function' || typeof value === 'symbol') return [UNDEFINED_TAG]
  if (typeof value === 'object' && value !== null) return [OBJECT_TAG, { ...value }]
  return false
}
