/** The rejection a deferred promise gets when it has not settled before the stream timeout. */
export class StreamTimeoutError extends Error {
  override name = 'StreamTimeoutError'
  readonly expose = true
  constructor(ms: number) {
    super(`Deferred data did not settle within ${ms} ms, so the stream was closed. Raise streamTimeout in pareto.config.ts or make the promise settle sooner.`)
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * Rebuilds loader data so every promise in it (at any depth) settles no later than `cut` aborts.
 * The copy shares every branch that holds no promise; the loader's own objects are never mutated.
 * Both the server render and the wire encoder read the result, so they agree on each outcome.
 */
export function guardDeferred<T>(data: T, cut: AbortSignal, mapError: (error: unknown) => unknown): { data: T; promises: number } {
  let promises = 0
  const seen = new Map<object, unknown>()

  const guard = (p: PromiseLike<unknown>): Promise<unknown> => {
    promises++
    const guarded = new Promise<unknown>((resolve, reject) => {
      if (cut.aborted) return reject(mapError(cut.reason))
      const onCut = () => reject(mapError(cut.reason))
      cut.addEventListener('abort', onCut, { once: true })
      p.then(
        (v) => {
          cut.removeEventListener('abort', onCut)
          resolve(visit(v))
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

  const visit = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value
    if (isThenable(value)) return guard(value)
    if (seen.has(value)) return seen.get(value)
    if (Array.isArray(value)) {
      seen.set(value, value)
      let copy: unknown[] | undefined
      for (let i = 0; i < value.length; i++) {
        const v = visit(value[i])
        if (v !== value[i]) (copy ??= value.slice())[i] = v
      }
      if (copy) seen.set(value, copy)
      return copy ?? value
    }
    if (value instanceof Map) {
      seen.set(value, value)
      let changed = false
      const entries = [...value].map(([k, v]) => {
        const nv = visit(v)
        if (nv !== v) changed = true
        return [k, nv] as const
      })
      const out = changed ? new Map(entries) : value
      seen.set(value, out)
      return out
    }
    if (value instanceof Set) {
      seen.set(value, value)
      let changed = false
      const items = [...value].map((v) => {
        const nv = visit(v)
        if (nv !== v) changed = true
        return nv
      })
      const out = changed ? new Set(items) : value
      seen.set(value, out)
      return out
    }
    if (!isPlainObject(value)) return value
    seen.set(value, value)
    let copy: Record<string, unknown> | undefined
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key]
      const nv = visit(v)
      if (nv !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = nv
    }
    if (copy) seen.set(value, copy)
    return copy ?? value
  }

  return { data: visit(data) as T, promises }
}
