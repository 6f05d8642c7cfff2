/** True for promises and other thenables: the one test the server, the wire and the client share. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** React's thenable protocol: a promise marked settled is read by `use()` at once, without suspending. */
export type TrackedThenable<T = unknown> = PromiseLike<T> & {
  status?: 'pending' | 'fulfilled' | 'rejected'
  value?: T
  reason?: unknown
}

/** Marks a promise with its outcome the way React's `use()` reads it; call it before the promise settles. */
export function markSettled(promise: PromiseLike<unknown>, ok: boolean, outcome: unknown): void {
  const p = promise as TrackedThenable
  if (ok) {
    p.status = 'fulfilled'
    p.value = outcome
  } else {
    p.status = 'rejected'
    p.reason = outcome
  }
}

/** The outcome of a promise marked settled (by `markSettled` or by React), or undefined while it is pending. */
export function settledOutcome(promise: PromiseLike<unknown>): { ok: boolean; outcome: unknown } | undefined {
  const p = promise as TrackedThenable
  if (p.status === 'fulfilled') return { ok: true, outcome: p.value }
  if (p.status === 'rejected') return { ok: false, outcome: p.reason }
  return undefined
}
