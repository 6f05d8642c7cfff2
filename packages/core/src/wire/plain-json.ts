/**
 * True when JSON carries `value` exactly: only plain objects, arrays, strings, booleans, null and finite
 * numbers (not -0), with no object reached twice (JSON would copy a shared one and cannot express a cycle)
 * and no `undefined` (JSON would drop the key). Anything else needs the full frame format.
 */
export function isPlainJson(value: unknown): boolean {
  return plainJsonObjects(value) !== null
}

/** The objects of a value JSON carries exactly (see isPlainJson), or null when it does not. */
export function plainJsonObjects(value: unknown): Set<object> | null {
  const seen = new Set<object>()
  const stack: unknown[] = [value]
  while (stack.length) {
    const v = stack.pop()
    switch (typeof v) {
      case 'string':
      case 'boolean':
        continue
      case 'number':
        if (!Number.isFinite(v) || Object.is(v, -0)) return null
        continue
      case 'object': {
        if (v === null) continue
        if (seen.has(v)) return null
        seen.add(v)
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) stack.push(v[i])
          continue
        }
        const proto = Object.getPrototypeOf(v)
        if (proto !== Object.prototype && proto !== null) return null
        for (const key in v) stack.push((v as Record<string, unknown>)[key])
        continue
      }
      default:
        return null
    }
  }
  return seen
}
