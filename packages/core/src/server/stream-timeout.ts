import { StreamTimeoutError } from '../data/deferred.js'

interface Armed {
  at: number
  fire: (() => void) | null
}

/**
 * Armed responses by timeout length. Every response of an app has the same timeout, so deadlines come in
 * the order responses were armed: one timer per length, set for the oldest deadline, serves them all.
 * A timer per response would cost an async resource (and React's async-context bookkeeping) each time.
 */
const queues = new Map<number, { entries: Armed[]; head: number; timer: NodeJS.Timeout | null }>()

function check(ms: number): void {
  const queue = queues.get(ms)!
  queue.timer = null
  const now = Date.now()
  const { entries } = queue
  // Past the due ones, and past every disarmed one whatever its deadline: most responses end long before
  // theirs, so the timer next wakes for the oldest response still open, not every few milliseconds.
  while (queue.head < entries.length && (entries[queue.head]!.fire === null || entries[queue.head]!.at <= now)) {
    const entry = entries[queue.head++]!
    const fire = entry.fire
    entry.fire = null
    fire?.()
  }
  if (queue.head === entries.length) {
    entries.length = 0
    queue.head = 0
  } else {
    // Drop what has been passed once it is most of the array, so the array does not only grow.
    if (queue.head > 1024 && queue.head * 2 > entries.length) {
      queue.entries = entries.slice(queue.head)
      queue.head = 0
    }
    schedule(ms, queue.entries[queue.head]!.at - now)
  }
}

function schedule(ms: number, delay: number): void {
  const queue = queues.get(ms)!
  queue.timer = setTimeout(check, Math.max(delay, 1), ms)
  // A pending deadline alone must not keep the process alive (the response's socket does while it is open).
  queue.timer.unref()
}

/**
 * Arms the stream timeout of one response: after `ms` it aborts `cut` with a StreamTimeoutError (every
 * guarded promise then rejects), and `onLate` runs a second later for anything still pending.
 * Returns the function that disarms it; call it when the response closes.
 */
export function armStreamTimeout(cut: { abort(reason: unknown): void }, ms: number, onLate?: () => void): () => void {
  let late: NodeJS.Timeout | undefined
  const entry: Armed = {
    at: Date.now() + ms,
    fire: () => {
      cut.abort(new StreamTimeoutError(ms))
      if (onLate) late = setTimeout(onLate, 1000)
    },
  }
  let queue = queues.get(ms)
  if (!queue) queues.set(ms, (queue = { entries: [], head: 0, timer: null }))
  queue.entries.push(entry)
  if (!queue.timer) schedule(ms, ms)
  return () => {
    // Forget the closure at once: it holds the response's render until the deadline would have passed.
    entry.fire = null
    clearTimeout(late)
  }
}
