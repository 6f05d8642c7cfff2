/** A key path into loader data: object keys and array indexes, from the root. */
export type DataPath = (string | number)[]

/** What JSON carries of a value: where its promises are. */
export interface JsonShape {
  /** Where each native promise sits; empty when there is none. */
  promises: DataPath[]
}

// Deeper data goes through turbo-stream, whose walk does not recurse.
const MAX_DEPTH = 200

/** Objects a walk keeps in a reused array before it moves to a Set. */
const FEW = 128

/**
 * The objects one walk has reached, to find one reached twice. Loader values mostly hold a few dozen
 * objects: a look through a reused array costs less than a Set, whose table is allocated and regrown on
 * every walk (~5 KB for a settled 50-item list, on every streamed request). Larger values move to a Set.
 */
class Reached {
  private few: (object | null)[] = new Array(FEW).fill(null)
  private count = 0
  private many: Set<object> | null = null

  /** Records `o`; false when it was reached before. */
  add(o: object): boolean {
    if (this.many) {
      if (this.many.has(o)) return false
      this.many.add(o)
      return true
    }
    const few = this.few
    for (let i = 0; i < this.count; i++) if (few[i] === o) return false
    if (this.count < FEW) few[this.count++] = o
    else (this.many = new Set(few as object[])).add(o)
    return true
  }

  /** Forgets every object, so none is held once the walk is over. */
  clear(): void {
    this.few.fill(null, 0, this.count)
    this.count = 0
    this.many = null
  }
}

// One for all walks; a walk that starts inside another (a getter reading loader data) makes its own.
let spare: Reached | null = new Reached()

/**
 * The one walk behind every JSON fast path. Null unless JSON carries `value` exactly apart from its
 * native promises: only plain objects, arrays, strings, booleans, null and finite numbers (not -0), no
 * object reached twice (JSON would copy a shared one and cannot express a cycle), no `undefined` (JSON
 * would drop the key), no `__proto__` key, nothing deeper than 200 levels. Loader data is guarded
 * (data/deferred.ts), so its promises are native; any other thenable makes the value not plain. `objects`,
 * when given, receives every object reached.
 */
export function jsonShape(value: unknown, objects?: object[]): JsonShape | null {
  const reached = spare ?? new Reached()
  spare = null
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
        if (depth > MAX_DEPTH || !reached.add(v)) return false
        objects?.push(v)
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
          // The document inlines JSON as a script literal, where `"__proto__": …` sets the prototype, not a key.
          if (key === '__proto__') return false
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
  try {
    return visit(value, 0) ? { promises } : null
  } finally {
    reached.clear()
    spare = reached
  }
}

/** True when JSON carries `value` exactly, with no promise in it (see jsonShape). */
export function isPlainJson(value: unknown): boolean {
  return jsonShape(value)?.promises.length === 0
}

/** The objects of a value JSON carries exactly with no promise in it, or null when it does not. */
export function plainJsonObjects(value: unknown): object[] | null {
  const objects: object[] = []
  const shape = jsonShape(value, objects)
  return shape && shape.promises.length === 0 ? objects : null
}
