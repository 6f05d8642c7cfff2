import { describe, expect, it, vi } from 'vitest'
import { RequestCancel } from '../src/server/cancel.js'
import { guardDeferred } from '../src/data/deferred.js'

describe('RequestCancel (LazyAbort)', () => {
  it('calls each listener once on abort, not after removal, and keeps the first reason', () => {
    const cut = new RequestCancel()
    const a = vi.fn()
    const b = vi.fn()
    cut.addEventListener('abort', a)
    cut.addEventListener('abort', b)
    cut.removeEventListener('abort', b)
    cut.abort('first')
    cut.abort('second')
    expect(a).toHaveBeenCalledOnce()
    expect(b).not.toHaveBeenCalled()
    expect(cut.aborted).toBe(true)
    expect(cut.reason).toBe('first')
  })

  it("makes the loader's AbortSignal on first read, aborted with the same reason before or after", () => {
    const early = new RequestCancel()
    const signal = early.signal
    expect(signal.aborted).toBe(false)
    expect(early.signal).toBe(signal)
    early.abort('gone')
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe('gone')
    const late = new RequestCancel()
    late.abort('timeout')
    expect(late.signal.aborted).toBe(true)
    expect(late.signal.reason).toBe('timeout')
  })

  it('guards deferred data like an AbortSignal does', async () => {
    const cut = new RequestCancel()
    const { data } = guardDeferred({ p: new Promise(() => {}) }, cut, (e) => new Error(`cut: ${String(e)}`))
    cut.abort('timeout')
    await expect(data.p).rejects.toThrow('cut: timeout')
  })
})
