import { encode } from 'turbo-stream'
import { WireError } from './error.js'
import type { WireErrorShape } from './global.js'
import { jsonShape } from '../shared/plain-json.js'
import { watchSettle } from '../shared/watched-promise.js'
import {
  DEFERRED_FRAME,
  ERROR_TAG,
  JSON_FRAME,
  JSON_TAG,
  MAP_TAG,
  OBJECT_TAG,
  PROTO_KEY_TAG,
  REJECTED_FRAME,
  RESOLVED_FRAME,
  SET_TAG,
  TURBO_FRAME,
  UNDEFINED_TAG,
} from './tags.js'
import { JsonBox, wireView } from './wire-view.js'

/**
 * Frames that are not all ready yet. `listen` hands over lines as they are ready — at once for what is
 * ready now — then calls `onEnd` once. Each line comes as its head (`D`, `R<i>:`, `X<i>:`, `T<i>:`, or ''
 * for a line of whole-data turbo-stream) and its body, so a JSON body goes into a script as it is.
 * Callbacks, not a stream: a promise per read costs (bench/NOTES.md, "FrameSource").
 */
export interface FrameSource {
  listen(onLine: (head: string, body: string) => void, onEnd: (error?: unknown) => void): void
}

/** Encoded frames: all of them as text when the data is complete already, else a source of lines as promises settle. */
export type EncodedFrames = string | FrameSource

/**
 * Encodes loader data as text lines: the first carries the plain values and marks each pending promise,
 * each later line settles one. The same lines feed the HTML document (inline scripts) and navigation;
 * `decodeFrames` reads both. Three forms, cheapest first:
 *
 * - `J<json>`: data JSON carries exactly and no promise (most loaders). One JSON.stringify. `J` alone
 *   is `undefined` (a page without a loader).
 * - `D[<json>,<paths>]`: the same with promises in it (most `defer()` data): the JSON holds `{}` where a
 *   promise is, `paths` says where. Each promise later sends `R<i>:<json>` when its value is plain JSON,
 *   `X<i>:<error>` when it rejects, and otherwise its value through turbo-stream as `T<i>:` lines.
 * - anything else (Date, Map, shared objects, cycles, …): turbo-stream lines, which keep types and references.
 *
 * JSON.stringify is several times faster than turbo-stream's encoder and its streams; turbo-stream is
 * kept for what JSON cannot say. A value sent in `R` arrives as a copy: identity with objects of earlier
 * frames is kept only on the turbo-stream form.
 */
export function encodeFrames(data: unknown): EncodedFrames {
  // No loader data: `J` alone (JSON has no undefined), so such pages never need turbo-stream's decoder.
  if (data === undefined) return JSON_FRAME + '\n'
  const shape = jsonShape(data)
  if (shape && shape.promises.length === 0) return JSON_FRAME + JSON.stringify(data) + '\n'
  if (shape) return new DeferredJsonFrames(data, shape.promises)
  return turboSource(turbo(data), '')
}

function turbo(value: unknown): ReadableStream<Uint8Array> {
  return encode(wireView(value), { plugins: [encodePlugin], postPlugins: [fallbackPlugin] })
}

/** The `D` form: lines handed over as the promises settle. */
class DeferredJsonFrames implements FrameSource {
  /** Lines made before `listen`, as [head, body]. */
  private queued: [string, string][] = []
  private onLine: ((head: string, body: string) => void) | null = null
  private onEnd: ((error?: unknown) => void) | null = null
  private open: number

  constructor(data: unknown, paths: (string | number)[][]) {
    // JSON.stringify writes a promise as `{}`; the decoder puts a promise in its place.
    this.queued.push([DEFERRED_FRAME, JSON.stringify([data, paths])])
    this.open = paths.length
    paths.forEach((path, i) => {
      let p: unknown = data
      for (const key of path) p = (p as Record<string | number, unknown>)[key]
      watchSettle(p as Promise<unknown>, {
        value: (value, plain) => this.settled(i, value, plain),
        error: (error) => this.rejected(i, error),
      })
    })
  }

  listen(onLine: (head: string, body: string) => void, onEnd: (error?: unknown) => void): void {
    this.onLine = onLine
    this.onEnd = onEnd
    const queued = this.queued
    this.queued = []
    for (const [head, body] of queued) onLine(head, body)
    if (this.open === 0) onEnd()
  }

  private settled(i: number, value: unknown, plain: boolean): void {
    if (plain) {
      this.line(`${RESOLVED_FRAME}${i}:`, JSON.stringify(value))
      return this.closeOne()
    }
    // JSON cannot carry it exactly: this one value goes through turbo-stream, its lines tagged with i.
    turboSource(turbo(value), `${TURBO_FRAME}${i}:`).listen(
      (head, body) => this.line(head, body),
      (error) =>
        error === undefined ? this.closeOne() : this.rejected(i, new Error('the value could not be encoded')),
    )
  }

  private rejected(i: number, error: unknown): void {
    this.line(`${REJECTED_FRAME}${i}:`, JSON.stringify(errorShape(error)))
    this.closeOne()
  }

  private line(head: string, body: string): void {
    if (this.onLine) this.onLine(head, body)
    else this.queued.push([head, body])
  }

  /** One promise has sent its last line. */
  private closeOne(): void {
    this.open--
    if (this.open === 0 && this.onLine) this.onEnd!()
  }
}

/** What a rejection looks like on the wire: a WireError as the server made it public, anything else as turbo-stream would send it. */
function errorShape(error: unknown): WireErrorShape {
  if (error instanceof WireError) return error.shape
  if (error instanceof Error) return { name: error.name, message: error.message }
  return { name: 'Error', message: 'An unknown error occurred' }
}

/** turbo-stream's bytes as whole lines, each handed over with `head`. */
function turboSource(bytes: ReadableStream<Uint8Array>, head: string): FrameSource {
  return {
    listen(onLine, onEnd) {
      const reader = bytes.getReader()
      const decoder = new TextDecoder()
      let partial = ''
      const emit = (whole: string) => {
        for (const line of whole.split('\n')) if (line) onLine(head, line)
      }
      const pump = (): void => {
        reader.read().then((r) => {
          if (r.done) {
            emit(partial + decoder.decode())
            return onEnd()
          }
          const text = partial + decoder.decode(r.value, { stream: true })
          const end = text.lastIndexOf('\n') + 1
          partial = text.slice(end)
          if (end > 0) emit(text.slice(0, end))
          pump()
        }, onEnd)
      }
      pump()
    },
  }
}

// Plugins run before turbo-stream's own handling. A WireError keeps its digest (and dev stack); Maps and Sets
// go as arrays because turbo-stream 2.4's decoder rebuilds them in reverse insertion order.
function encodePlugin(value: unknown): [string, ...unknown[]] | false {
  if (value instanceof JsonBox) return [JSON_TAG, JSON.stringify(value.value)]
  if (value instanceof WireError) return [ERROR_TAG, value.shape]
  if (value instanceof Map) return [MAP_TAG, [...value]]
  if (value instanceof Set) return [SET_TAG, [...value]]
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)
    if (Object.hasOwn(value, '__proto__')) return [PROTO_KEY_TAG, Object.entries(value)]
  return false
}

// Values turbo-stream cannot encode would fail the whole stream and leave promises pending in the browser.
// They go the way JSON.stringify takes them: class instances as their own enumerable fields, functions as undefined.
function fallbackPlugin(value: unknown): [string, ...unknown[]] | false {
  if (typeof value === 'function' || typeof value === 'symbol') return [UNDEFINED_TAG]
  if (typeof value === 'object' && value !== null) return [OBJECT_TAG, { ...value }]
  return false
}
