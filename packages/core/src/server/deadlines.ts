/**
 * DeadlineList: one timer per timeout length serves every armed request, since deadlines of one length come
 * in arming order; a timer per request costs an async resource under React's async context. Entries are
 * unlinked when disarmed, never left until their deadline. Measured: bench/NOTES.md, "DeadlineList".
 */

interface Armed {
  at: number
  onDeadline: (() => void) | null
  prev: Armed | null
  next: Armed | null
}

interface ArmedList {
  head: Armed | null
  tail: Armed | null
  timer: NodeJS.Timeout | null
}

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
    const onDeadline = entry.onDeadline!
    entry.onDeadline = null
    onDeadline()
  }
  if (list.head) schedule(list, ms, list.head.at - now)
}

function schedule(list: ArmedList, ms: number, delay: number): void {
  list.timer = setTimeout(check, Math.max(delay, 1), ms)
  // A pending deadline alone must not keep the process alive (the response's socket does while it is open).
  list.timer.unref()
}

/** Calls `onDeadline` after `ms`, unless the returned function is called first. */
export function armDeadline(ms: number, onDeadline: () => void): () => void {
  let list = lists.get(ms)
  if (!list) lists.set(ms, (list = { head: null, tail: null, timer: null }))
  const entry: Armed = { at: Date.now() + ms, onDeadline, prev: list.tail, next: null }
  if (list.tail) list.tail.next = entry
  else list.head = entry
  list.tail = entry
  if (!list.timer) schedule(list, ms, ms)
  return () => {
    if (!entry.onDeadline) return
    unlink(list, entry)
    entry.onDeadline = null
  }
}
