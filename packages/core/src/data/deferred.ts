import { holdsThenable, mapPromises } from '../shared/walk.js'
import { jsonShape } from '../shared/plain-json.js'
import { WatchedPromise } from '../shared/watched-promise.js'

/** What guardDeferred listens to: an AbortSignal, or the server's RequestCancel with the same members. */
export interface Cuttable {
  readonly aborted: boolean
  readonly reason: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** Told of each guarded promise, by its place in the order the guard met them: made, then settled. */
export interface GuardWatch {
  added(index: number): void
  settled(index: number): void
}

/**
 * Rebuilds loader data so every promise in it (at any depth, including inside resolved values) settles
 * no later than `cut` aborts, and rejects with `mapError(reason)`. The loader's own objects are never mutated.
 * Both the server render and the wire encoder read the result, so they agree on each outcome; the encoder
 * hears of each outcome from the guard itself (WatchedPromise), with what the guard's walk found.
 * `watchFor` is called at the first promise, for a watch told of each one (the shell budget's timing).
 */
export function guardDeferred<T, W extends GuardWatch = GuardWatch>(
  data: T,
  cut: Cuttable,
  mapError: (error: unknown) => unknown,
  watchFor?: () => W,
): { data: T; promises: number; watch: W | undefined } {
  let promises = 0
  let watch: W | undefined
  // One abort listener for the whole request, not one per promise: it rejects whatever is still pending.
  let pending: Set<WatchedPromise> | null = null
  const onCut = () => {
    const reason = mapError(cut.reason)
    for (const guarded of pending!) guarded.reject(reason)
    pending!.clear()
  }
  const guard = (p: PromiseLike<unknown>): Promise<unknown> => {
    const index = promises++
    if (index === 0) watch = watchFor?.()
    const guarded = new WatchedPromise()
    if (cut.aborted) {
      guarded.reject(mapError(cut.reason))
      return guarded.promise
    }
    if (!pending) {
      pending = new Set()
      cut.addEventListener('abort', onCut, { once: true })
    }
    const waiting = pending
    waiting.add(guarded)
    watch?.added(index)
    const done = () => {
      watch?.settled(index)
      waiting.delete(guarded)
      if (waiting.size === 0 && pending === waiting) {
        // Nothing left to cut: the signal holds no closure of this data any more.
        cut.removeEventListener('abort', onCut)
        pending = null
      }
    }
    p.then(
      (v) => {
        done()
        // One walk for both: a value JSON carries exactly holds no promise and passes as it is (the encoder
        // is told so); one that would be plain but for its promises is rebuilt; anything else is looked
        // into for promises, and rebuilt only if it holds some.
        const shape = v === undefined ? null : jsonShape(v)
        if (shape && shape.promises.length === 0) guarded.resolve(v, true)
        else guarded.resolve(shape || holdsThenable(v) ? mapPromises(v, guard) : v, false)
      },
      (e) => {
        done()
        guarded.reject(mapError(e))
      },
    )
    return guarded.promise
  }
  // Most loader data holds no promise: it passes as it is, without the rebuilding walk and its seen-map.
  const out = holdsThenable(data) ? mapPromises(data, guard) : data
  return { data: out, promises, watch }
}
