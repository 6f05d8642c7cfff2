/**
 * Marks loader data whose promises should stream: plain values go out with the shell,
 * each promise (at any depth) is sent when it settles. Returns the same object, typed as given.
 */
export function defer<T extends Record<string, unknown>>(data: T): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError('defer() takes a plain object, e.g. defer({ fast, slow: fetchSlow() }).')
  }
  return data
}
