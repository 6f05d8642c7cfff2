import { decode } from 'turbo-stream'
import { errorFromWire } from './error.js'
import type { ParsedLine, WireErrorShape } from './global.js'
import { ERROR_TAG, JSON_TAG, MAP_TAG, OBJECT_TAG, PROTO_KEY_TAG, SET_TAG, UNDEFINED_TAG } from './tags.js'
import { markRejectionsHandled } from '../shared/walk.js'

/** Decodes turbo-stream lines (as text) with Pareto's plugins. */
export async function decodeTurbo(text: ReadableStream<string>): Promise<unknown> {
  const { value } = await decode(text.pipeThrough(new TextEncoderStream()), { plugins: [decodePlugin] })
  // A rejection is shown by the component that reads it; one that no component reads must not surface as unhandled.
  markRejectionsHandled(value)
  return value
}

/**
 * Decodes data sent wholly as turbo-stream lines: `first`, then every line `next` gives until it gives
 * null. Here rather than in decode.ts, so pages whose data is JSON do not ship it.
 */
export function decodeTurboLines(first: string, next: () => Promise<string | ParsedLine | null>): Promise<unknown> {
  let head: string | ParsedLine | null = first
  const text = new ReadableStream<string>({
    async pull(controller) {
      const line = head ?? (await next())
      head = null
      if (line === null) controller.close()
      else if (typeof line === 'string') controller.enqueue(line + '\n')
      else
        controller.error(
          new Error('A JSON frame arrived inside turbo-stream data: the server and client are out of step.'),
        )
    },
  })
  return decodeTurbo(text)
}

function decodePlugin(type: string, payload: unknown): { value: unknown } | false {
  if (type === JSON_TAG) return { value: JSON.parse(payload as string) }
  if (type === ERROR_TAG) return { value: errorFromWire(payload as WireErrorShape) }
  if (type === MAP_TAG) return { value: new Map(payload as [unknown, unknown][]) }
  if (type === SET_TAG) return { value: new Set(payload as unknown[]) }
  if (type === OBJECT_TAG) return { value: payload }
  if (type === UNDEFINED_TAG) return { value: undefined }
  if (type === PROTO_KEY_TAG) {
    const out: Record<string, unknown> = {}
    // defineProperty, so `__proto__` becomes an own key, as it was on the server, not the prototype.
    for (const [key, value] of payload as [string, unknown][])
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
    return { value: out }
  }
  return false
}
