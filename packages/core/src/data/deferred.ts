import { mapPromises } from '../wire/walk.js'

/** The rejection a deferred promise gets when it has not settled before the stream timeout. */
export class StreamTimeoutError extends Error {
  override name = 'StreamTimeoutError'
  readonly expose = true
  constructor(ms: number) {
    super(`Deferred data did not settle within ${ms} ms, so the stream was closed. Raise streamTimeout in pareto.config.ts or make the promise settle sooner.`)
  }
}

/** Why a request's data was cut without anyone to tell: the client left, or the document failed before its shell. Never logged. */
export class RequestEnded extends Error {
  override name = 'RequestEnded'
}

/**
 * Rebuilds loader data so every promise in it (at any depth, including inside resolved values) settles
 * no later than `cut` aborts, and rejects with `mapError(reason)`. The loader's own objects are never mutated.
 * Both the server render and the wire encoder read the result, so they agree on each outcome.
 */
export function guardDeferred<T>(data: T, cut: AbortSignal, mapError: (error: unknown) => unknown): { data: T; promises: number } {
  let promises = 0
  const guard = (p: PromiseLike<unknown>): Promise<unknown> => {
    promises++
    const guarded = new Promise<unknown>((resolve, reject) => {
      if (cut.aborted) return reject(mapError(cut.reason))
      const onCut = () => reject(mapError(cut.reason))
      cut.addEventListener('abort', onCut, { once: true })
      p.then(
        (v) => {
          cut.removeEventListener('abort', onCut)
          resolve(mapPromises(v, guard))
        },
        (e) => {
          cut.removeEventListener('abort', onCut)
          reject(mapError(e))
        },
      )
    })
    // The render or the encoder may stop before reading this promise; its rejection is still handled here.
    guarded.catch(() => {})
    return guarded
  }
  const out = mapPromises(data, guard)
  return { data: out, promises }
}
