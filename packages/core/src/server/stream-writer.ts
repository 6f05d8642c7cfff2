import { EventEmitter } from 'node:events'
import { AsyncResource } from 'node:async_hooks'
import type { PlatformResponse as ServerResponse } from './platform.js'

const POSTAMBLE_TEXT = '</body></html>'
const POSTAMBLE = Buffer.from(POSTAMBLE_TEXT)

/** React writes bytes, and long strings as they are; only its very last chunk ends the document. */
function withoutPostamble(chunk: Uint8Array | string): Uint8Array | string | null {
  if (typeof chunk === 'string') return chunk.endsWith(POSTAMBLE_TEXT) ? chunk.slice(0, -POSTAMBLE_TEXT.length) : null
  const at = chunk.byteLength - POSTAMBLE.byteLength
  if (at < 0) return null
  // Compared in place, from the last byte: a subarray to compare would be made for every chunk.
  for (let i = POSTAMBLE.byteLength - 1; i >= 0; i--) if (chunk[at + i] !== POSTAMBLE[i]) return null
  return chunk.subarray(0, at)
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
  /** Frame arguments not written yet, comma-separated: they leave as one script. */
  private pending = ''
  private piped = false
  /** React's first flush (the shell) is out: frames may follow. Node's pipe() writes it before started(); the web's after. */
  private shellWritten = false
  /** Inside one of React's flushes (between its first write and its flush()): no frame may go in. */
  private inFlush = false
  private immediate: NodeJS.Immediate | undefined
  /** The request's own async context: the response ends in it, not in React's (bench/NOTES.md, "EndContext"). */
  private readonly context = new AsyncResource('ParetoDocument')

  constructor(
    private readonly res: ServerResponse & { flush?: () => void },
    private readonly onEnd: () => void,
    /** The inline script that carries frame arguments (`__PARETO.f.push(…)`, with the page's nonce). */
    private readonly frameScript: (args: string) => string,
  ) {
    super()
  }

  /** Called once React has started piping; frames queued before it go out after the shell. */
  started(): void {
    this.piped = true
    // React has just written the shell in this turn: frames that were ready before it join its syscall.
    this.writePending()
    // A whole page (every boundary ready) ends inside React's pipe(), before this: its frames go first.
    this.maybeEnd()
  }

  /**
   * Queues frame arguments. They leave with React's next flush when one comes within two check phases (a
   * settled promise usually completes a boundary too), else on their own after them; either way in the
   * same syscall as whatever else is written then, and frames queued together share one script.
   */
  frame(args: string): void {
    if (this.res.writableEnded || this.res.destroyed) return
    this.pending = this.pending ? `${this.pending},${args}` : args
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
    // Between flushes is the only safe place for a frame: never inside a tag React is writing. Node holds
    // a response's writes until the end of the turn, so the frames and React's chunks share one syscall.
    if (!this.inFlush) {
      this.inFlush = true
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

  /** React calls this after each flush: compression emits what it holds. */
  flush(): void {
    this.inFlush = false
    if (!this.shellWritten) {
      this.shellWritten = true
      this.writePending()
    }
    this.res.flush?.()
  }

  private schedule(): void {
    if (this.immediate === undefined) this.immediate = setImmediate(this.afterReact)
  }

  /** One more turn, so React's flush of the boundary the frame completes takes it along (bench/NOTES.md, "FrameRide"). */
  private readonly afterReact = (): void => {
    this.immediate = setImmediate(this.writeQueued)
  }

  /** Frames that no React flush took along: they go out on their own. */
  private readonly writeQueued = (): void => {
    this.immediate = undefined
    if (!this.pending || this.res.writableEnded || this.res.destroyed) return
    this.writePending()
    this.res.flush?.()
  }

  /** Writes the queued frames now; a scheduled lone write is no longer needed. */
  private writePending(): void {
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate)
      this.immediate = undefined
    }
    if (!this.pending || !this.piped || !this.shellWritten) return
    this.res.write(this.frameScript(this.pending))
    this.pending = ''
  }

  private maybeEnd(): void {
    if (!this.reactDone || !this.dataDone || !this.piped || this.res.writableEnded) return
    this.writePending()
    // In the same turn as React's last flush, end() joins its syscall.
    this.context.runInAsyncScope(this.res.end, this.res, this.held ?? undefined)
    this.onEnd()
  }
}
