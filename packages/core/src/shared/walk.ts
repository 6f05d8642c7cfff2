import { isThenable } from './thenable.js'

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Whether `value` may hold a thenable: exact for tree-shaped data; `true` (so the caller takes the full
 * walk) when the data is deeper or larger than a quick look allows, since shared objects or cycles could
 * make the look long. Plain objects, arrays, Maps and Sets are looked into, as mapPromises does.
 */
export function holdsThenable(value: unknown): boolean {
  let budget = 20_000
  const look = (v: unknown, depth: number): boolean => {
    if (typeof v !== 'object' || v === null) return false
    if (--budget < 0 || depth > 100 || isThenable(v)) return true
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (look(v[i], depth + 1)) return true
      return false
    }
    if (v instanceof Map || v instanceof Set) {
      for (const x of v.values()) if (look(x, depth + 1)) return true
      return false
    }
    if (!isPlainObject(v)) return false
    for (const key in v) if (look((v as Record<string, unknown>)[key], depth + 1)) return true
    return false
  }
  return look(value, 0)
}

/**
 * Rebuilds `value` with every thenable in it (inside plain objects, arrays, Maps and Sets, at any depth)
 * replaced by `onPromise(p)`. Branches without promises are shared, not copied; nothing is mutated.
 */
export function mapPromises<T>(
  value: T,
  onPromise: (p: PromiseLike<unknown>) => unknown,
  onObject?: (o: object) => void,
): T {
  const seen = new Map<object, unknown>()
  const visit = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    if (isThenable(v)) return onPromise(v)
    if (seen.has(v)) return seen.get(v)
    seen.set(v, v)
    onObject?.(v)
    let out: unknown = v
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined
      for (let i = 0; i < v.length; i++) {
        const nv = visit(v[i])
        if (nv !== v[i]) (copy ??= v.slice())[i] = nv
      }
      out = copy ?? v
    } else if (v instanceof Map) {
      let changed = false
      const entries = [...v].map(([k, x]) => {
        const nx = visit(x)
        if (nx !== x) changed = true
        return [k, nx] as const
      })
      out = changed ? new Map(entries) : v
    } else if (v instanceof Set) {
      let changed = false
      const items = [...v].map((x) => {
        const nx = visit(x)
        if (nx !== x) changed = true
        return nx
      })
      out = changed ? new Set(items) : v
    } else if (isPlainObject(v)) {
      let copy: Record<string, unknown> | undefined
      for (const key of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[key]
        const nx = visit(x)
        if (nx !== x) (copy ??= { ...(v as Record<string, unknown>) })[key] = nx
      }
      out = copy ?? v
    }
    seen.set(v, out)
    return out
  }
  return visit(value) as T
}

/** Marks every promise in decoded data (and in what they resolve to) as handled, so a rejection no component reads is not reported as unhandled. */
export function markRejectionsHandled(value: unknown): void {
  mapPromises(value, (p) => {
    p.then(markRejectionsHandled, () => {})
    return p
  })
}
