import { describe, expect, it } from 'vitest'
import { WatchedPromise, watchSettle } from '../src/shared/watched-promise.js'
import type { SettleWatcher } from '../src/shared/watched-promise.js'
import { unhandledDuring } from './unhandled.js'

function recorder() {
  const seen: unknown[] = []
  const watcher: SettleWatcher = {
    value: (value, plain) => seen.push(['value', value, plain]),
    error: (error) => seen.push(['error', error]),
  }
  return { seen, watcher }
}

describe('WatchedPromise', () => {
  it('tells its watcher at once, before the reactions of anyone who awaited the promise', async () => {
    const w = new WatchedPromise()
    const order: string[] = []
    void w.promise.then(() => order.push('then'))
    watchSettle(w.promise, { value: () => order.push('watcher'), error: () => order.push('error') })
    w.resolve({ a: 1 }, true)
    expect(order).toEqual(['watcher'])
    await w.promise
    expect(order).toEqual(['watcher', 'then'])
  })

  it('passes what the guard found (plain or not) and tells a late watcher what came before it', async () => {
    const early = new WatchedPromise()
    early.resolve(new Date(0), false)
    const { seen, watcher } = recorder()
    watchSettle(early.promise, watcher)
    expect(seen).toEqual([['value', new Date(0), false]])
  })

  it('tells rejections, and a rejection nobody reads is not unhandled', async () => {
    const unhandled = await unhandledDuring(() => {
      const w = new WatchedPromise()
      const { seen, watcher } = recorder()
      watchSettle(w.promise, watcher)
      const error = new Error('x')
      w.reject(error)
      w.resolve('ignored', true)
      expect(seen).toEqual([['error', error]])
      new WatchedPromise().reject(new Error('unread'))
    }, 10)
    expect(unhandled).toEqual([])
  })

  it('a second watcher, or any other promise, is told through then(), with the value walked there', async () => {
    const w = new WatchedPromise()
    const first = recorder()
    const second = recorder()
    watchSettle(w.promise, first.watcher)
    watchSettle(w.promise, second.watcher)
    w.resolve([1, 2], true)
    await w.promise
    await Promise.resolve()
    expect(first.seen).toEqual([['value', [1, 2], true]])
    expect(second.seen).toEqual([['value', [1, 2], true]])

    const other = recorder()
    watchSettle(Promise.resolve(new Map()), other.watcher)
    await new Promise((r) => setTimeout(r, 0))
    expect(other.seen).toEqual([['value', new Map(), false]])
  })
})
