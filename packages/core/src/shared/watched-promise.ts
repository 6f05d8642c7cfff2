import { isPlainJson } from './plain-json.js'
import { markSettled } from './thenable.js'

/** What a watcher is told when a watched promise settles. `plain`: JSON carries the value exactly, with no promise in it. */
export interface SettleWatcher {
  value(value: unknown, plain: boolean): void
  error(error: unknown): void
}

/**
 * WatchedPromise: a promise that tells one watcher (the wire encoder) its outcome, and what the deferred
 * guard's walk found of the value, the moment it settles, so the encoder needs no `.then` and no second
 * walk of its own. Measured: bench/NOTES.md, "WatchedPromise".
 */
export class WatchedPromise {
  /** The real promise, for React's `use()` and for anyone else who awaits the data. */
  readonly promise: Promise<unknown>
  private resolveIt!: (value: unknown) => void
  private rejectIt!: (error: unknown) => void
  private settled = false
  private watched = false
  // Let go once told: an old object holding young ones keeps them to the next full GC (bench/NOTES.md).
  private watcher: SettleWatcher | null = null
  /** An outcome that came before the watcher, held until it comes. */
  private early: Outcome | null = null

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.resolveIt = resolve
      this.rejectIt = reject
    })
    ;(this.promise as Watchable)[WATCHED] = this
  }

  /** Settles with a value; `plain` as in SettleWatcher. */
  resolve(value: unknown, plain: boolean): void {
    if (!this.settle({ ok: true, value, plain })) return
    // A render that reaches this promise after it settled reads the value at once: no fallback, no extra pass.
    markSettled(this.promise, true, value)
    this.resolveIt(value)
  }

  reject(error: unknown): void {
    if (this.settled) return
    // The render may never read this promise; a handler now keeps its rejection from being unhandled.
    this.promise.catch(noop)
    if (!this.settle({ ok: false, error })) return
    markSettled(this.promise, false, error)
    this.rejectIt(error)
  }

  /** Registers the one watcher; a promise that settled already tells it at once. */
  watch(watcher: SettleWatcher): boolean {
    if (this.watched) return false
    this.watched = true
    const early = this.early
    if (!this.settled) this.watcher = watcher
    else if (early) {
      this.early = null
      tell(watcher, early)
    }
    return true
  }

  /**
   * Records the outcome once and tells the watcher at once, before the promise settles (so before
   * React's reactions run, see DocumentWriter), or keeps it for a watcher still to come.
   */
  private settle(outcome: Outcome): boolean {
    if (this.settled) return false
    this.settled = true
    const watcher = this.watcher
    if (watcher) {
      this.watcher = null
      tell(watcher, outcome)
    } else this.early = outcome
    return true
  }
}

type Outcome = { ok: true; value: unknown; plain: boolean } | { ok: false; error: unknown }

function tell(watcher: SettleWatcher, outcome: Outcome): void {
  if (outcome.ok) watcher.value(outcome.value, outcome.plain)
  else watcher.error(outcome.error)
}

const WATCHED = Symbol('pareto.watched')
type Watchable = Promise<unknown> & { [WATCHED]?: WatchedPromise }
const noop = () => {}

/**
 * Calls `watcher` when `p` settles: at once through its WatchedPromise when it has one, else through a
 * `.then` (and the value is walked here to find whether it is plain).
 */
export function watchSettle(p: PromiseLike<unknown>, watcher: SettleWatcher): void {
  if ((p as Watchable)[WATCHED]?.watch(watcher)) return
  p.then(
    (value) => watcher.value(value, value !== undefined && isPlainJson(value)),
    (error: unknown) => watcher.error(error),
  )
}
