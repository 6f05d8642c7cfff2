import { StreamTimeoutError } from '../data/deferred.js'

/** One armed response, linked in its list by deadline. */
interface Armed {
  at: number
  cut: { abort(reason: unknown): void } | null
  onLate: (() => void) | undefined
  late: NodeJS.Timeout | undefined
  prev: Armed | null
  next: Armed | null
}

interface ArmedList {
  head: Armed | null
  tail: Armed | null
  timer: NodeJS.Timeout | null
}

/**
 * Armed responses by timeout length. Every response of an app has the same timeout, so deadlines come in
 * the order responses were armed: one timer per length, set for the oldest deadline, serves them all.
 * A timer per response would cost an async resource (and React's async-context bookkeeping) each time.
 *
 * Disarming unlinks the entry at once. An entry kept until its deadline (as a queue would) lives for the
 * whole timeout, so V8 learns to allocate entries straight in the old generation; a dead old entry then
 * keeps whatever young objects it pointed to alive through every scavenge until the next full GC, and
 * each response's render and data were promoted with it.
 */
const lists = new Map<number, ArmedList>()

function unlink(list: ArmedList, entry: Armed): void {
  if (entry.prev) entry.prev.next = entry.next
  else list.head = entry.next
  if (entry.next) entry.next.prev = entry.prev
  else list.tail = entry.prev
  entry.prev = entry.next = null
}

function check(ms: number): void {
  const list = lists.get(ms)!
  list.timer = null
  const now = Date.now()
  while (list.head && list.head.at <= now) {
    const entry = list.head
    unlink(list, entry)
    const cut = entry.cut!
    entry.cut = null
    cut.abort(new StreamTimeoutError(ms))
    if (entry.onLate) entry.late = setTimeout(entry.onLate, 1000)
  }
  // The head is the oldest response still open: the timer wakes for it, not for those that ended.
  if (list.head) schedule(list, ms, list.head.at - now)
}

function schedule(list: ArmedList, ms: number, delay: number): void {
  list.timer = setTimeout(check, Math.max(delay, 1), ms)
  // A pending deadline alone must not keep the process alive (the response's socket does while it is open).
  list.timer.unref()
}

/**
 * Arms the stream timeout of one response: after `ms` it aborts `cut` with a StreamTimeoutError (every
 * guarded promise then rejects), and `onLate` runs a second later for anything still pending.
 * Returns the function that disarms it; call it when the response closes.
 */
export function armStreamTimeout(cut: { abort(reason: unknown): void }, ms: number, onLate?: () => void): () => void {
  let list = lists.get(ms)
  if (!list) lists.set(ms, (list = { head: null, tail: null, timer: null }))
  const entry: Armed = { at: Date.now() + ms, cut, onLate, late: undefined, prev: list.tail, next: null }
  if (list.tail) list.tail.next = entry
  else list.head = entry
  list.tail = entry
  if (!list.timer) schedule(list, ms, ms)
  return () => {
    if (entry.cut) {
      unlink(list, entry)
      entry.cut = null
    }
    entry.onLate = undefined
    if (entry.late) clearTimeout(entry.late)
  }
}
