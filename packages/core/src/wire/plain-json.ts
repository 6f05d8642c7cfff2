/** A key path into loader data: object keys and array indexes, from the root. */
export type DataPath = (string | number)[]

/** What JSON carries of a value: its objects, and where its promises are. */
export interface JsonShape {
  objects: Set<object>
  /** Where each native promise sits; empty when there is none. */
  promises: DataPath[]
}

// Deeper data goes through turbo-stream, whose walk does not recurse.
const MAX_DEPTH = 200

/**
 * The one walk behind every JSON fast path. Null unless JSON carries `value` exactly apart from its
 * native promises: only plain objects, arrays, strings, booleans, null and finite numbers (not -0), no
 * object reached twice (JSON would copy a shared one and cannot express a cycle), no `undefined` (JSON
 * would drop the key), nothing deeper than 200 levels. Loader data is guarded (data/deferred.ts), so its
 * promises are native; any other thenable makes the value not plain.
 */
export function jsonShape(value: unknown): JsonShape | null {
  const objects = new Set<object>()
  const promises: DataPath[] = []
  const path: DataPath = []
  const visit = (v: unknown, depth: number): boolean => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return true
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0)
      case 'object': {
        if (v === null) return true
        if (objects.has(v) || depth > MAX_DEPTH) return false
        objects.add(v)
        if (v instanceof Promise) {
          promises.push(path.slice())
          return true
        }
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            path.push(i)
            if (!visit(v[i], depth + 1)) return false
            path.pop()
          }
          return true
        }
        const proto = Object.getPrototypeOf(v)
        if (proto !== Object.prototype && proto !== null) return false
        for (const key in v) {
          path.push(key)
          if (!visit((v as Record<string, unknown>)[key], depth + 1)) return false
          path.pop()
        }
        return true
      }
      default:
        return false
    }
  }
  return visit(value, 0) ? { objects, promises } : null
}

/** True when JSON carries `value` exactly, with no promise in it (see jsonShape). */
export function isPlainJson(value: unknown): boolean {
  return jsonShape(value)?.promises.length === 0
}

/** The objects of a value JSON carries exactly with no promise in it, or null when it does not. */
export function plainJsonObjects(value: unknown): Set<object> | null {
  const shape = jsonShape(value)
  return shape && shape.promises.length === 0 ? shape.objects : null
}
