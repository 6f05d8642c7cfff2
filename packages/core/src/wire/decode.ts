import { decode } from 'turbo-stream'
import { errorFromWire } from './error.js'
import { ERROR_TAG, JSON_FRAME, JSON_TAG, MAP_TAG, OBJECT_TAG, SET_TAG, UNDEFINED_TAG } from './tags.js'
import type { WireErrorShape } from './global.js'
import { markRejectionsHandled } from './walk.js'

/** Decodes frames from `encodeFrames` into the data, with real promises that settle as their frames arrive. */
export function decodeFrames<T = unknown>(frames: ReadableStream<string>): Promise<T> {
  return decodeFrameBytes<T>(frames.pipeThrough(new TextEncoderStream()))
}

const J = JSON_FRAME.charCodeAt(0)

/** The same decoder over bytes, as a navigation response body delivers them. */
export async function decodeFrameBytes<T = unknown>(bytes: ReadableStream<Uint8Array>): Promise<T> {
  const reader = bytes.getReader()
  let first = await reader.read()
  while (!first.done && first.value.byteLength === 0) first = await reader.read()
  if (!first.done && first.value[0] === J) return readJsonFrame<T>(reader, first.value)
  // Not JSON: hand turbo-stream the bytes already read, then the rest.
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(first.value)
    },
    async pull(controller) {
      const r = await reader.read()
      if (r.done) controller.close()
      else controller.enqueue(r.value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
  const { value } = await decode(rest, { plugins: [decodePlugin] })
  // A rejection is shown by the component that reads it; one that no component reads must not surface as unhandled.
  markRejectionsHandled(value)
  return value as T
}

async function readJsonFrame<T>(reader: ReadableStreamDefaultReader<Uint8Array>, head: Uint8Array): Promise<T> {
  const decoder = new TextDecoder()
  let text = decoder.decode(head, { stream: true })
  for (;;) {
    const r = await reader.read()
    if (r.done) break
    text += decoder.decode(r.value, { stream: true })
  }
  text += decoder.decode()
  return JSON.parse(text.slice(1)) as T
}

function decodePlugin(type: string, payload: unknown): { value: unknown } | false {
  if (type === JSON_TAG) return { value: JSON.parse(payload as string) }
  if (type === ERROR_TAG) return { value: errorFromWire(payload as WireErrorShape) }
  if (type === MAP_TAG) return { value: new Map(payload as [unknown, unknown][]) }
  if (type === SET_TAG) return { value: new Set(payload as unknown[]) }
  if (type === OBJECT_TAG) return { value: payload }
  if (type === UNDEFINED_TAG) return { value: undefined }
  return false
}

/** A readable stream over a frame queue that is filled by inline scripts: what is queued now, then every later push. */
export function queueToStream(queue: (string | null)[] & { push(...frames: (string | null)[]): unknown }): ReadableStream<string> {
  return new ReadableStream<string>({
    start(controller) {
      let closed = false
      const take = (frame: string | null) => {
        if (closed) return
        if (frame === null) {
          closed = true
          controller.close()
        } else controller.enqueue(frame)
      }
      for (const frame of queue) take(frame)
      queue.length = 0
      queue.push = (...frames) => {
        for (const frame of frames) take(frame)
        return 0
      }
    },
  })
}
