/** Splits a request target into pathname and search (with its `?`, or `''`). The one place this is done. */
export function splitTarget(url: string | undefined): { pathname: string; search: string } {
  const raw = url ?? '/'
  const q = raw.indexOf('?')
  return q === -1 ? { pathname: raw, search: '' } : { pathname: raw.slice(0, q), search: raw.slice(q) }
}
