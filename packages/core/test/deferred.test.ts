import { describe, expect, it } from 'vitest'
import { guardDeferred } from '../src/data/deferred.js'
import { StreamTimeoutError } from '../src/server/cancel.js'
import { unhandledDuring } from './unhandled.js'

const mapError = (e: unknown) => ({ mapped: e })
const later = <T>(v: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(v), ms))
const settle = (p: unknown) =>
  (p as Promise<unknown>).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )

function controlled<T = unknown>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Counts the abort listeners currently registered on a signal. */
function trackListeners(signal: AbortSignal) {
  let count = 0
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  const listeners = new Set<unknown>()
  signal.addEventListener = ((
    type: string,
    fn: EventListenerOrEventListenerObject,
    opts?: AddEventListenerOptions | boolean,
  ) => {
    if (type === 'abort' && !listeners.has(fn)) {
      listeners.add(fn)
      count++
    }
    add(type, fn, opts)
  }) as AbortSignal['addEventListener']
  signal.removeEventListener = ((
    type: string,
    fn: EventListenerOrEventListenerObject,
    opts?: EventListenerOptions | boolean,
  ) => {
    if (type === 'abort' && listeners.delete(fn)) count--
    remove(type, fn, opts)
  }) as AbortSignal['removeEventListener']
  return () => count
}

describe('guardDeferred', () => {
  it('returns data without promises unchanged (same object) and counts 0', () => {
    const data = { a: 1, b: [1, 2, { c: 'x' }], m: new Map([['k', { v: 1 }]]) }
    const out = guardDeferred(data, new AbortController().signal, mapError)
    expect(out.data).toBe(data)
    expect(out.promises).toBe(0)
  })

  it('returns a copy, never mutating the input, and shares branches without promises', async () => {
    const p = Promise.resolve('deep')
    const untouched = { x: [1, 2, 3] }
    const data = { untouched, list: [1, 2], a: { b: { c: p } } }
    const snapshot = { ...data, a: { b: { c: p } } }
    const { data: out, promises } = guardDeferred(data, new AbortController().signal, mapError)
    expect(promises).toBe(1)
    expect(out).not.toBe(data)
    expect(data).toEqual(snapshot)
    expect(data.a.b.c).toBe(p)
    expect(out.untouched).toBe(untouched)
    expect(out.list).toBe(data.list)
    expect(out.a).not.toBe(data.a)
    expect(out.a.b).not.toBe(data.a.b)
    expect(out.a.b.c).not.toBe(p)
    expect(out.a.b.c).toBeInstanceOf(Promise)
    expect(await out.a.b.c).toBe('deep')
  })

  it('wraps promises inside arrays, Maps and Sets', async () => {
    const arrP = Promise.resolve(1)
    const mapP = Promise.resolve(2)
    const setP = Promise.resolve(3)
    const data = {
      arr: [0, arrP],
      map: new Map<string, unknown>([
        ['k', mapP],
        ['plain', 'v'],
      ]),
      set: new Set<unknown>(['s', setP]),
    }
    const { data: out, promises } = guardDeferred(data, new AbortController().signal, mapError)
    expect(promises).toBe(3)
    expect(out.arr).not.toBe(data.arr)
    expect(out.arr[1]).not.toBe(arrP)
    expect(await out.arr[1]).toBe(1)
    expect(out.map).toBeInstanceOf(Map)
    expect(out.map).not.toBe(data.map)
    expect(data.map.get('k')).toBe(mapP)
    expect(out.map.get('k')).not.toBe(mapP)
    expect(await out.map.get('k')).toBe(2)
    expect(out.map.get('plain')).toBe('v')
    expect(out.set).toBeInstanceOf(Set)
    expect(out.set).not.toBe(data.set)
    const [s, guardedSetP] = [...out.set]
    expect(s).toBe('s')
    expect(guardedSetP).not.toBe(setP)
    expect(await guardedSetP).toBe(3)
    expect(data.set.has(setP)).toBe(true)
  })

  it('keeps the same guarded promise for a promise that appears twice', () => {
    const p = Promise.resolve(1)
    const shared = { p }
    const { data: out } = guardDeferred({ a: shared, b: shared }, new AbortController().signal, mapError)
    expect(out.a).toBe(out.b)
  })

  it('handles cycles without looping', async () => {
    const data: Record<string, unknown> = { p: Promise.resolve('v') }
    data.self = data
    const { data: out } = guardDeferred(data, new AbortController().signal, mapError)
    expect(await out.p).toBe('v')
  })

  it('guards promises nested inside a resolved value', async () => {
    const inner = controlled<string>()
    const ac = new AbortController()
    const resolvedValue = { inner: inner.promise, plain: { n: 1 } }
    const { data: out } = guardDeferred({ outer: Promise.resolve(resolvedValue) }, ac.signal, mapError)
    const v = (await out.outer) as typeof resolvedValue
    expect(v).not.toBe(resolvedValue)
    expect(v.plain).toBe(resolvedValue.plain)
    expect(v.inner).not.toBe(inner.promise)
    const reason = new StreamTimeoutError(50)
    ac.abort(reason)
    expect(await settle(v.inner)).toEqual({ ok: false, error: { mapped: reason } })
    // the original value was not touched
    expect(resolvedValue.inner).toBe(inner.promise)
  })

  it('rejects pending promises with mapError(reason) when the signal aborts', async () => {
    const ac = new AbortController()
    const pending = controlled<string>()
    const done = Promise.resolve('done')
    const { data: out } = guardDeferred(
      { pending: pending.promise, list: [pending.promise], done },
      ac.signal,
      mapError,
    )
    expect(await out.done).toBe('done')
    const reason = new StreamTimeoutError(50)
    ac.abort(reason)
    expect(await settle(out.pending)).toEqual({ ok: false, error: { mapped: reason } })
    expect(await settle(out.list[0])).toEqual({ ok: false, error: { mapped: reason } })
    expect(reason.message).toContain('50 ms')
    expect(reason.name).toBe('StreamTimeoutError')
    // a late resolve of the original changes nothing
    pending.resolve('late')
    expect(await settle(out.pending)).toEqual({ ok: false, error: { mapped: reason } })
  })

  it('rejects at once when the signal has already aborted', async () => {
    const ac = new AbortController()
    const reason = new StreamTimeoutError(1)
    ac.abort(reason)
    const { data: out } = guardDeferred({ p: later('v', 1) }, ac.signal, mapError)
    expect(await settle(out.p)).toEqual({ ok: false, error: { mapped: reason } })
  })

  it('maps rejections of the original through mapError', async () => {
    const err = new Error('db down')
    const { data: out } = guardDeferred({ p: Promise.reject(err) }, new AbortController().signal, mapError)
    expect(await settle(out.p)).toEqual({ ok: false, error: { mapped: err } })
  })

  it('a guarded rejection nobody reads is not unhandled', async () => {
    const unhandled = await unhandledDuring(() => {
      const ac = new AbortController()
      guardDeferred(
        { p: new Promise(() => {}), q: Promise.reject(new Error('x')).catch(() => {}) },
        ac.signal,
        mapError,
      )
      ac.abort(new StreamTimeoutError(5))
    }, 20)
    expect(unhandled).toEqual([])
  })

  it('holds one abort listener while anything is pending and removes it once all settle, so a later abort changes nothing', async () => {
    const ac = new AbortController()
    const listeners = trackListeners(ac.signal)
    const a = controlled<string>()
    const b = controlled<string>()
    const { data: out } = guardDeferred({ a: a.promise, b: b.promise }, ac.signal, mapError)
    expect(listeners()).toBe(1)
    a.resolve('A')
    expect(await out.a).toBe('A')
    expect(listeners()).toBe(1)
    b.reject(new Error('B'))
    await settle(out.b)
    expect(listeners()).toBe(0)
    ac.abort(new StreamTimeoutError(50))
    expect(await settle(out.a)).toEqual({ ok: true, value: 'A' })
    expect(await settle(out.b)).toEqual({ ok: false, error: { mapped: new Error('B') } })
  })

  it('counts every guarded promise, including ones in resolved values once they resolve', async () => {
    const result = guardDeferred(
      {
        a: Promise.resolve(1),
        b: [Promise.resolve(2), { c: Promise.resolve({ d: Promise.resolve(3) }) }],
        m: new Map([['x', Promise.resolve(4)]]),
      },
      new AbortController().signal,
      mapError,
    )
    // the count is taken when guardDeferred returns: the nested promise is not known yet
    expect(result.promises).toBe(4)
  })
})
