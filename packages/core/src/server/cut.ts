/**
 * When a request's work must stop (stream timeout, client gone, shell failed), with why. An AbortSignal
 * would do, but one costs ~6 µs to make and ~3 µs per listener, on every page request; most loaders never
 * read theirs. This keeps the listeners in an array and makes the real AbortSignal only when the loader
 * reads `ctx.signal`.
 */
export class Cut {
  aborted = false
  reason: unknown = undefined
  private listeners: (() => void)[] = []
  private controller: AbortController | undefined

  /** The loader's `ctx.signal`: made on first read, aborted with the same reason. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController()
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
