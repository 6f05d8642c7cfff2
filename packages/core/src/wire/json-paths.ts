/** A key path into loader data: object keys and array indexes, from the root. */
export type DataPath = (string | number)[]

// Deeper data goes through turbo-stream, whose walk does not recurse.
const MAX_DEPTH = 200

/**
 * Where the promises sit in data that JSON otherwise carries exactly, or null when it holds anything else
 * (Date, Map, undefined, -0, a shared object or cycle, a non-native thenable…). `[]` means no promise.
 * Only native promises count: loader data is guarded (data/deferred.ts), so its promises are native.
 */
export function promisePaths(value: unknown): DataPath[] | null {
  const seen = new Set<object>()
  const paths: DataPath[] = []
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
        if (seen.has(v) || depth > MAX_DEPTH) return false
        seen.add(v)
        if (v instanceof Promise) {
          paths.push(path.slice())
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
  return visit(value, 0) ? paths : null
}
