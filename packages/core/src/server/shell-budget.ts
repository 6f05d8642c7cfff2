import type { GuardWatch } from '../data/deferred.js'
import type { RouteEntry } from '../routes/types.js'

/** How many times in a row a value must come later than the budget before its route stops waiting for it. */
const SLOW_STREAK = 2

/**
 * What a route has learnt of its deferred values, by their order in its data: how many times in a row each
 * came later than the budget. Values that are reliably slow are not waited for, so the budget costs nothing
 * on pages whose data is slow; a value that comes fast once is waited for again.
 */
class SettleHistory {
  private readonly slow: number[] = []

  worthWaiting(index: number): boolean {
    return (this.slow[index] ?? 0) < SLOW_STREAK
  }

  record(index: number, late: boolean): void {
    this.slow[index] = late ? (this.slow[index] ?? 0) + 1 : 0
  }
}

// Per route of one build (a RouteEntry belongs to one build): learnt by the server process as it serves.
const histories = new WeakMap<RouteEntry, SettleHistory>()

/**
 * One page request's shell budget: the shell is held until every deferred value worth waiting for has
 * settled and been rendered, or `budget` ms have passed since the loader returned, whichever is first. It
 * also times every value for the route's history. Opened at once when nothing is worth waiting for.
 */
export class ShellGate implements GuardWatch {
  private readonly start = performance.now()
  private readonly history: SettleHistory
  /** Indexes of the values being waited for that are still pending. */
  private waiting: Set<number> | null = null
  private timer: NodeJS.Timeout | undefined
  private opened = false
  private onOpen: (() => void) | null = null

  constructor(
    route: RouteEntry,
    private readonly budget: number,
  ) {
    let history = histories.get(route)
    if (!history) histories.set(route, (history = new SettleHistory()))
    this.history = history
  }

  added(index: number): void {
    if (this.opened || !this.history.worthWaiting(index)) return
    if (!this.waiting) {
      this.waiting = new Set()
      this.timer = setTimeout(this.open, Math.max(0, this.budget - (performance.now() - this.start)))
    }
    this.waiting.add(index)
  }

  settled(index: number): void {
    this.history.record(index, performance.now() - this.start > this.budget)
    const waiting = this.waiting
    if (this.opened || !waiting?.delete(index) || waiting.size > 0) return
    // React renders the value's boundary in a later check phase (it retries pinged work in a setImmediate);
    // opening after the next one lets the shell carry it.
    setImmediate(() => setImmediate(this.open))
  }

  /** Whether the shell is held for a value: once one is waited for, only `open` lets it go. */
  get holding(): boolean {
    return !this.opened && this.waiting !== null
  }

  /** Calls `fn` once the gate is open: at once if nothing is held. */
  whenOpen(fn: () => void): void {
    if (this.holding) this.onOpen = fn
    else fn()
  }

  /** Opens the gate: the budget ran out, every awaited value is in, or there is nothing left to wait for. */
  readonly open = (): void => {
    if (this.opened) return
    this.opened = true
    clearTimeout(this.timer)
    const fn = this.onOpen
    this.onOpen = null
    fn?.()
  }
}

/** A request's gate when the config gives a budget, made at the loader data's first promise. */
export function shellGateFor(route: RouteEntry, budget: number): (() => ShellGate) | undefined {
  return budget > 0 ? () => new ShellGate(route, budget) : undefined
}
