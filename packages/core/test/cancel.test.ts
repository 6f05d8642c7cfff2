import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { armStreamTimeout, RequestCancel, StreamTimeoutError } from '../src/server/cancel.js'

describe('armStreamTimeout (DeadlineList: one timer per timeout length)', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('aborts each response at its own deadline, in the order they were armed', () => {
    const a = new RequestCancel()
    const b = new RequestCancel()
    armStreamTimeout(a, 1000)
    vi.advanceTimersByTime(300)
    armStreamTimeout(b, 1000)
    vi.advanceTimersByTime(699)
    expect(a.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(a.reason).toBeInstanceOf(StreamTimeoutError)
    expect(b.aborted).toBe(false)
    vi.advanceTimersByTime(300)
    expect(b.reason).toBeInstanceOf(StreamTimeoutError)
  })

  it('a disarmed response is never aborted, and the ones after it still are', () => {
    const a = new RequestCancel()
    const b = new RequestCancel()
    const disarmA = armStreamTimeout(a, 500)
    armStreamTimeout(b, 500)
    disarmA.disarm()
    vi.advanceTimersByTime(500)
    expect(a.aborted).toBe(false)
    expect(b.aborted).toBe(true)
  })

  it('keeps timeouts of different lengths apart, and runs onLate a second after the timeout', () => {
    const long = new RequestCancel()
    const short = new RequestCancel()
    const late = vi.fn()
    armStreamTimeout(long, 2000)
    armStreamTimeout(short, 100, late)
    vi.advanceTimersByTime(100)
    expect(short.aborted).toBe(true)
    expect(long.aborted).toBe(false)
    vi.advanceTimersByTime(999)
    expect(late).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(late).toHaveBeenCalledOnce()
    vi.advanceTimersByTime(900)
    expect(long.aborted).toBe(true)
  })

  it('disarming after the timeout fired cancels onLate (the response closed in that second)', () => {
    const c = new RequestCancel()
    const late = vi.fn()
    const disarm = armStreamTimeout(c, 100, late)
    vi.advanceTimersByTime(100)
    expect(c.aborted).toBe(true)
    disarm.disarm()
    vi.advanceTimersByTime(2000)
    expect(late).not.toHaveBeenCalled()
  })

  it('re-arms after the queue has drained', () => {
    const first = new RequestCancel()
    armStreamTimeout(first, 50)
    vi.advanceTimersByTime(50)
    const second = new RequestCancel()
    armStreamTimeout(second, 50)
    vi.advanceTimersByTime(49)
    expect(second.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(second.aborted).toBe(true)
  })
})
