/**
 * DeadlineList: one timer per timeout length serves every armed request, since deadlines of one length come
 * in arming order; a timer per request costs an async resource under React's async context. Entries are
 * unlinked when disarmed, never left until their deadline. Measured: bench/NOTES.md, "DeadlineList".
 */

/**
 * A deadline entry: whatever is armed extends it, so arming makes no object of its own. `onDeadline` runs
 * once, unless disarmed first.
 */
export abstract class Deadline {
  at = 0
  ms = 0
  armed = false
  prev: Deadline | null = null
  next: Deadline | null = null
  abstract onDeadline(ms: number): void
}

interface ArmedList {
  head: Deadline | null
  tail: Deadline | null
  timer: NodeJS.Timeout | null
}

const lists = new Map<number, ArmedList>()

function unlink(list: ArmedList, entry: Deadline): void {
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
    entry.armed = false
    entry.onDeadline(ms)
  }
  if (list.head) schedule(list, ms, list.head.at - now)
}

function schedule(list: ArmedList, ms: number, delay: number): void {
  list.timer = setTimeout(check, Math.max(delay, 1), ms)
  // A pending deadline alone must not keep the process alive (the response's socket does while it is open).
  list.timer.unref()
}

/** Arms `entry` to be told after `ms`. */
export function armDeadline(entry: Deadline, ms: number): void {
  let list = lists.get(ms)
  if (!list) lists.set(ms, (list = { head: null, tail: null, timer: null }))
  entry.at = Date.now() + ms
  entry.ms = ms
  entry.armed = true
  entry.prev = list.tail
  if (list.tail) list.tail.next = entry
  else list.head = entry
  list.tail = entry
  if (!list.timer) schedule(list, ms, ms)
}

/** Unlinks an armed entry at once (not left until its time); one that fired already is left alone. */
export function disarmDeadline(entry: Deadline): void {
  if (!entry.armed) return
  entry.armed = false
  unlink(lists.get(entry.ms)!, entry)
}
