/**
 * LazyAbort: an AbortController whose AbortSignal is made only when read (most loaders never read
 * `ctx.signal`); until then listeners sit in an array. Measured: bench/NOTES.md, "LazyAbort".
 */
export class LazyAbort {
  aborted = false
  reason: unknown = undefined
  private listeners: (() => void)[] = []
  private controller: AbortController | undefined
  private onFirstRead: (() => void) | undefined

  /** `onFirstRead` runs the first time the signal is read (a resource route starts watching its client then). */
  constructor(onFirstRead?: () => void) {
    this.onFirstRead = onFirstRead
  }

  /** The loader's `ctx.signal`: made on first read, aborted with the same reason. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController()
      const first = this.onFirstRead
      this.onFirstRead = undefined
      first?.()
      if (this.aborted) this.controller.abort(this.reason)
    }
    return this.controller.signal
  }

  /** The subset of AbortSignal's listener API that guardDeferred uses. */
  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener)
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener)
    if (i >= 0) this.listeners.splice(i, 1)
  }

  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const listeners = this.listeners
    this.listeners = []
    for (const listener of listeners) listener()
    this.controller?.abort(reason)
  }
}
