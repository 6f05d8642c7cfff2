import { EventEmitter } from 'node:events'
import { AsyncResource } from 'node:async_hooks'
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
  private uncorkQueued = false
  private immediate: NodeJS.Immediate | undefined
  /**
   * The request's async context, made before React runs. React renders inside its own AsyncLocalStorage
   * scope, and everything started there keeps React's request: the keep-alive timer Node makes when the
   * response finishes would hold it (and all it references) until the connection's next request. Ending
   * the response in the request's own context leaves React's request to be collected young.
   */
  private readonly context = new AsyncResource('ParetoDocument')

  constructor(
    private readonly res: ServerResponse & { flush?: () => void },
    private readonly onEnd: () => void,
  ) {
    super()
  }


  /** Called once React has started piping; frames queued before it go out after the shell. */
  started(): void {
    this.piped = true
    // The shell is still corked: frames that were ready before it join it in one syscall.
    if (this.corked) this.writePending()
    else if (this.pending.length) this.schedule()
  }

  /**
   * Queues an inline script. It leaves with React's next flush when one comes within two check phases (a
   * settled promise usually completes a boundary too), else on its own after them; either way in the
   * same syscall as whatever else is written then.
   */
  script(html: string): void {
    if (this.res.writableEnded || this.res.destroyed) return
    this.pending.push(html)
    if (this.piped) this.schedule()
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
      // Between flushes is the only safe place for a frame: never inside a tag React is writing.
      this.writePending()
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

  /** React calls this after each flush: compression emits what it holds, and the chunks leave together. */
  flush(): void {
    this.res.flush?.()
    // Uncorked a microtask later, so that React's end() right after its last flush shares the syscall.
    if (this.corked && !this.uncorkQueued) {
      this.uncorkQueued = true
      queueMicrotask(this.uncork)
    }
  }

  private readonly uncork = (): void => {
    this.uncorkQueued = false
    if (!this.corked) return
    this.corked = false
    this.res.uncork()
  }

  private schedule(): void {
    if (this.immediate === undefined) this.immediate = setImmediate(this.afterReact)
  }

  /**
   * A settled promise reaches the frame encoder before React (its reaction was registered first), so
   * React's immediate that renders the pinged boundary is queued after ours. One more turn lets that
   * boundary's flush take the frame along in its syscall; if none comes, the frame leaves on its own.
   */
  private readonly afterReact = (): void => {
    this.immediate = setImmediate(this.writeQueued)
  }

  /** Frames that no React flush took along: they go out on their own. */
  private readonly writeQueued = (): void => {
    this.immediate = undefined
    if (!this.pending.length || this.res.writableEnded || this.res.destroyed) return
    this.writePending()
    this.res.flush?.()
  }

  /** Writes the queued frames now; a scheduled lone write is no longer needed. */
  private writePending(): void {
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate)
      this.immediate = undefined
    }
    if (!this.pending.length || !this.piped) return
    this.res.write(this.pending.length === 1 ? this.pending[0]! : this.pending.join(''))
    // Emptied in place: a new array would leave the strings to the old one, long-lived by now, until a full GC.
    this.pending.length = 0
  }

  private maybeEnd(): void {
    if (!this.reactDone || !this.dataDone || this.res.writableEnded) return
    this.writePending()
    // end() sends everything still corked with the last bytes, in one syscall.
    this.context.runInAsyncScope(this.res.end, this.res, this.held ?? undefined)
    if (this.corked) {
      this.corked = false
      this.res.uncork()
    }
    this.onEnd()
  }
}
