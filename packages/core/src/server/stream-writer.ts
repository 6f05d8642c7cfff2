import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'

const POSTAMBLE_TEXT = '</body></html>'
const POSTAMBLE = Buffer.from(POSTAMBLE_TEXT)
const GT = 0x3e

/** React writes bytes, and long strings as they are; only its very last chunk ends the document. */
function withoutPostamble(chunk: Uint8Array | string): Uint8Array | string | null {
  if (typeof chunk === 'string') return chunk.endsWith(POSTAMBLE_TEXT) ? chunk.slice(0, -POSTAMBLE_TEXT.length) : null
  const n = chunk.byteLength
  // Cheap test first: almost no chunk ends with '>'.
  if (n < POSTAMBLE.byteLength || chunk[n - 1] !== GT) return null
  return Buffer.compare(chunk.subarray(n - POSTAMBLE.byteLength), POSTAMBLE) === 0 ? chunk.subarray(0, n - POSTAMBLE.byteLength) : null
}

/**
 * Where React's document stream is piped. It passes React's bytes straight to the response, writes data
 * frames between React's flushes (never inside one, so never inside a tag), holds `</body></html>` back
 * until the last frame is out, and flushes compression after every flush so nothing is buffered.
 * It is the small destination React's `pipe()` uses (write/end/flush/on), not a full stream.Writable,
 * whose buffering machinery would run on every chunk for nothing.
 */
export class DocumentWriter extends EventEmitter {
  private held: Uint8Array | null = null
  private reactDone = false
  private dataDone = false
  private pending: string[] = []
  private piped = false
  private corked = false

  constructor(
    private readonly res: ServerResponse & { flush?: () => void },
    private readonly onEnd: () => void,
  ) {
    super()
  }


  /** Called once React has started piping; frames queued before it go out after the shell. */
  started(): void {
    this.piped = true
    if (this.pending.length) {
      this.res.write(this.pending.join(''))
      this.pending = []
      this.flush()
    }
  }

  /** Writes an inline script now if the shell is out, or queues it until it is. */
  script(html: string): void {
    if (this.res.writableEnded || this.res.destroyed) return
    if (!this.piped) this.pending.push(html)
    else {
      this.res.write(html)
      this.flush()
    }
  }

  /** Marks the data stream finished (all frames written). */
  dataFinished(): void {
    this.dataDone = true
    this.maybeEnd()
  }

  /** React's output; always accepted, so React never waits for 'drain' (the response buffers it). */
  write(chunk: Uint8Array | string): boolean {
    if (this.res.destroyed) return true
    // React writes one flush as many small chunks; corked, they leave in one syscall when the flush ends.
    if (!this.corked) {
      this.corked = true
      this.res.cork()
    }
    const body = withoutPostamble(chunk)
    if (body === null) this.res.write(chunk)
    else {
      if (body.length) this.res.write(body)
      this.held = POSTAMBLE
    }
    return true
  }

  /** React has written everything. */
  end(): void {
    this.reactDone = true
    this.maybeEnd()
  }

  /** React calls this after each flush: the chunks go out together, and compression emits what it holds. */
  flush(): void {
    if (this.corked) {
      this.corked = false
      this.res.uncork()
    }
    this.res.flush?.()
  }

  private maybeEnd(): void {
    if (!this.reactDone || !this.dataDone || this.res.writableEnded) return
    if (this.corked) {
      this.corked = false
      this.res.uncork()
    }
    if (this.pending.length) this.res.write(this.pending.join(''))
    this.res.end(this.held ?? undefined)
    this.onEnd()
  }
}
