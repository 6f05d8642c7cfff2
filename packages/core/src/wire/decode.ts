import { errorFromWire } from './error.js'
import { DEFERRED_FRAME, JSON_FRAME, REJECTED_FRAME, RESOLVED_FRAME, TURBO_FRAME } from './tags.js'
import type { Frame, FrameQueue, ParsedLine, WireErrorShape } from './global.js'
import type { DataPath } from '../shared/plain-json.js'
import { markSettled } from '../shared/thenable.js'

/**
 * Decodes frames from `encodeFrames` into the data, with real promises that settle as their frames arrive.
 * Frames are text (as navigation delivers them) or, from inline scripts, JSON lines already parsed.
 */
export async function decodeFrames<T = unknown>(frames: ReadableStream<string | ParsedLine>): Promise<T> {
  const lines = new LineReader(frames.getReader())
  const first = await lines.next()
  if (first === null) throw new Error('The data stream ended before its first frame.')
  const kind = first[0]
  if (kind === JSON_FRAME) return (first === JSON_FRAME ? undefined : valueOf(first, 1)) as T
  if (kind === DEFERRED_FRAME) return readDeferred<T>(valueOf(first, 1) as [unknown, DataPath[]], lines)
  // Neither of Pareto's JSON forms: turbo-stream's lines, loaded only for data that needs them.
  return (await turboChunk()).decodeTurboLines(first as string, () => lines.next()) as Promise<T>
}

type Line = string | ParsedLine

/** The JSON after a line's head (`at` characters long), parsed unless the browser parsed it already. */
function valueOf(line: Line, at: number): unknown {
  return typeof line === 'string' ? JSON.parse(line.slice(at)) : line[1]
}

/** Whole lines (without their '\n') out of text chunks that may split or join them; parsed lines pass as they are. */
class LineReader {
  private buffer = ''
  private done = false
  private parsed: ParsedLine | null = null
  constructor(private readonly reader: ReadableStreamDefaultReader<string | ParsedLine>) {}

  async next(): Promise<Line | null> {
    for (;;) {
      const nl = this.buffer.indexOf('\n')
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl)
        this.buffer = this.buffer.slice(nl + 1)
        return line
      }
      // Text before a parsed line is always whole lines (the server writes them so); a leftover is the last line.
      if (this.done || this.parsed) {
        const rest = this.buffer
        this.buffer = ''
        if (rest) return rest
        const parsed = this.parsed
        this.parsed = null
        if (parsed) return parsed
        if (this.done) return null
        continue
      }
      const r = await this.reader.read()
      if (r.done) this.done = true
      else if (typeof r.value === 'string') this.buffer += r.value
      else this.parsed = r.value
    }
  }
}

// turbo-stream's decoder, its plugins and the walk that marks rejections handled: a chunk of their own,
// loaded only for data JSON cannot carry.
const turboChunk = () => import('./decode-turbo.js')
const decodeTurbo = async (text: ReadableStream<string>): Promise<unknown> => (await turboChunk()).decodeTurbo(text)

interface Slot {
  resolve(value: unknown): void
  reject(error: unknown): void
  settled: boolean
  turbo?: ReadableStreamDefaultController<string>
}

/** The `D` form: the JSON with a promise put at each path, then each promise settled by its own lines. */
function readDeferred<T>([data, paths]: [unknown, DataPath[]], lines: LineReader): T {
  let root = data
  const slots = paths.map((path): Slot => {
    const slot = { settled: false } as Slot
    const promise = new Promise((resolve, reject) => {
      // Marked as React reads them, so a view rendered after its frame arrived never shows the fallback.
      slot.resolve = (v) => ((slot.settled = true), markSettled(promise, true, v), resolve(v))
      slot.reject = (e) => ((slot.settled = true), markSettled(promise, false, e), reject(e))
    })
    promise.catch(() => {})
    if (path.length === 0) root = promise
    else {
      let parent = data as Record<string | number, unknown>
      for (let i = 0; i < path.length - 1; i++) parent = parent[path[i]!] as Record<string | number, unknown>
      // defineProperty, so a key named "__proto__" stays an own key as JSON.parse made it.
      Object.defineProperty(parent, path[path.length - 1]!, {
        value: promise,
        writable: true,
        enumerable: true,
        configurable: true,
      })
    }
    return slot
  })
  void (async () => {
    for (let line = await lines.next(); line !== null; line = await lines.next()) {
      const head = typeof line === 'string' ? line : line[0]
      const colon = head.indexOf(':')
      const slot = slots[Number(head.slice(1, colon))]
      if (!slot) continue
      const kind = head[0]
      if (kind === RESOLVED_FRAME) slot.resolve(valueOf(line, colon + 1))
      else if (kind === REJECTED_FRAME) {
        if (slot.turbo) slot.turbo.close()
        slot.reject(errorFromWire(valueOf(line, colon + 1) as WireErrorShape))
      } else if (kind === TURBO_FRAME && typeof line === 'string') {
        const body = line.slice(colon + 1)
        if (!slot.turbo) {
          const text = new ReadableStream<string>({ start: (c) => void (slot.turbo = c) })
          decodeTurbo(text).then(slot.resolve, slot.reject)
        }
        slot.turbo!.enqueue(body + '\n')
      }
    }
    for (const slot of slots) {
      // turbo-stream settles its own value from the lines it was given.
      if (slot.turbo) slot.turbo.close()
      else if (!slot.settled)
        slot.reject(new Error('The data stream ended before this value arrived. Reload the page to try again.'))
    }
  })().catch((error: unknown) => {
    for (const slot of slots) if (!slot.settled) slot.reject(error)
  })
  return root as T
}

/** A readable stream over a frame queue that is filled by inline scripts: what is queued now, then every later push. */
export function queueToStream(queue: Frame[] & FrameQueue): ReadableStream<string | ParsedLine> {
  return new ReadableStream<string | ParsedLine>({
    start(controller) {
      let closed = false
      const take = (frame: Frame) => {
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
