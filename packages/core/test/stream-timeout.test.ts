import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { armStreamTimeout } from '../src/server/stream-timeout.js'
import { StreamTimeoutError } from '../src/data/deferred.js'

describe('armStreamTimeout (one timer per timeout length)', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('aborts each response at its own deadline, in the order they were armed', () => {
    const a = new AbortController()
    const b = new AbortController()
    armStreamTimeout(a, 1000)
    vi.advanceTimersByTime(300)
    armStreamTimeout(b, 1000)
    vi.advanceTimersByTime(699)
    expect(a.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(a.signal.reason).toBeInstanceOf(StreamTimeoutError)
    expect(b.signal.aborted).toBe(false)
    vi.advanceTimersByTime(300)
    expect(b.signal.reason).toBeInstanceOf(StreamTimeoutError)
  })

  it('a disarmed response is never aborted, and the ones after it still are', () => {
    const a = new AbortController()
    const b = new AbortController()
    const disarmA = armStreamTimeout(a, 500)
    armStreamTimeout(b, 500)
    disarmA()
    vi.advanceTimersByTime(500)
    expect(a.signal.aborted).toBe(false)
    expect(b.signal.aborted).toBe(true)
  })

  it('keeps timeouts of different lengths apart, and runs onLate a second after the timeout', () => {
    const long = new AbortController()
    const short = new AbortController()
    const late = vi.fn()
    armStreamTimeout(long, 2000)
    armStreamTimeout(short, 100, late)
    vi.advanceTimersByTime(100)
    expect(short.signal.aborted).toBe(true)
    expect(long.signal.aborted).toBe(false)
    vi.advanceTimersByTime(999)
    expect(late).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(late).toHaveBeenCalledOnce()
    vi.advanceTimersByTime(900)
    expect(long.signal.aborted).toBe(true)
  })

  it('disarming after the timeout fired cancels onLate (the response closed in that second)', () => {
    const c = new AbortController()
    const late = vi.fn()
    const disarm = armStreamTimeout(c, 100, late)
    vi.advanceTimersByTime(100)
    expect(c.signal.aborted).toBe(true)
    disarm()
    vi.advanceTimersByTime(2000)
    expect(late).not.toHaveBeenCalled()
  })

  it('re-arms after the queue has drained', () => {
    const first = new AbortController()
    armStreamTimeout(first, 50)
    vi.advanceTimersByTime(50)
    const second = new AbortController()
    armStreamTimeout(second, 50)
    vi.advanceTimersByTime(49)
    expect(second.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(second.signal.aborted).toBe(true)
  })
})

describe('armStreamTimeout memory', () => {
  it('a disarmed response leaves nothing behind until its deadline', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const noop = { abort() {} }
    gc()
    const before = process.memoryUsage().heapUsed
    // Armed and disarmed as responses come and go, long before the (never reached) deadline.
    for (let i = 0; i < 100_000; i++) armStreamTimeout(noop, 3_600_000)()
    gc()
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1 << 20)
  })
})
