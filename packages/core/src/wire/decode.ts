import { decode } from 'turbo-stream'
import { ERROR_TAG, errorFromWire } from './error.js'
import type { WireErrorShape } from './global.js'
import { markRejectionsHandled } from './walk.js'

/** Decodes frames from `encodeFrames` into the data, with real promises that settle as their frames arrive. */
export function decodeFrames<T = unknown>(frames: ReadableStream<string>): Promise<T> {
  return decode<T>(frames, {
    plugins: [(type, shape) => (type === ERROR_TAG ? { value: errorFromWire(shape as WireErrorShape) } : undefined)],
  }).then((data) => {
    // A rejection is shown by the component that reads it; one that no component reads must not surface as unhandled.
    markRejectionsHandled(data)
    return data
  })
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
