import { decode } from 'turbo-stream'
import { errorFromWire } from './error.js'
import type { WireErrorShape } from './global.js'
import { ERROR_TAG, JSON_TAG, MAP_TAG, OBJECT_TAG, SET_TAG, UNDEFINED_TAG } from './tags.js'
import { markRejectionsHandled } from './walk.js'

/** Decodes turbo-stream lines (as text) with Pareto's plugins. */
export async function decodeTurbo(text: ReadableStream<string>): Promise<unknown> {
  const { value } = await decode(text.pipeThrough(new TextEncoderStream()), { plugins: [decodePlugin] })
  // A rejection is shown by the component that reads it; one that no component reads must not surface as unhandled.
  markRejectionsHandled(value)
  return value
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
