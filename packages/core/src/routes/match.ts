import type { Params, RouteMatch, Segment } from './types.js'

/** Thrown for a pathname that cannot be decoded; the server answers 400. */
export class MalformedPathError extends Error {
  readonly status = 400
  readonly expose = true
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new MalformedPathError(`Malformed percent-encoding in URL path segment "${raw.slice(0, 100)}"`)
  }
}

function matchSegments(segments: Segment[], parts: string[]): Params | null {
  const params: Params = {}
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]
    if (seg.type === 'catchall' || seg.type === 'optional') {
      const rest = parts.slice(i)
      if (rest.length === 0) {
        if (seg.type === 'catchall') return null
        params[seg.name] = undefined
      } else {
        params[seg.name] = rest.join('/')
      }
      return params
    }
    const part = parts[i]
    if (part === undefined) return null
    if (seg.type === 'static') {
      if (seg.value !== part) return null
    } else {
      params[seg.name] = part
    }
  }
  return parts.length === segments.length ? params : null
}

const SEP = '\u0000'

/** A compiled matcher: a map for fully static routes, an ordered list for the rest. Same code on server and client. */
export function createMatcher<R extends { segments: Segment[] }>(
  sortedRoutes: R[],
): (pathname: string) => RouteMatch<R> | null {
  const exact = new Map<string, R>()
  // The same static routes by their plain pathname, for the common request that needs no decoding.
  const exactPaths = new Map<string, R>()
  const patterned: R[] = []
  for (const route of sortedRoutes) {
    if (route.segments.every((s) => s.type === 'static')) {
      const values = route.segments.map((s) => (s as { value: string }).value)
      const key = values.join(SEP)
      if (!exact.has(key)) exact.set(key, route)
      const path = '/' + values.join('/')
      if (!exactPaths.has(path) && !values.some((v) => v.includes('/'))) exactPaths.set(path, route)
    } else {
      patterned.push(route)
    }
  }
  return (pathname) => {
    // Already in canonical form (nothing to decode, no empty segment): one lookup, no splitting.
    if (!pathname.includes('%') && !pathname.includes('//') && (pathname.length === 1 || !pathname.endsWith('/'))) {
      const hit = exactPaths.get(pathname)
      if (hit) return { route: hit, params: {} }
    }
    const parts = pathname.split('/').filter(Boolean).map(decodeSegment)
    // Joined with a character no URL segment holds, so a decoded %2F cannot pose as a separator.
    const key = parts.join(SEP)
    const hit = exact.get(key)
    if (hit) return { route: hit, params: {} }
    for (const route of patterned) {
      const params = matchSegments(route.segments, parts)
      if (params) return { route, params }
    }
    return null
  }
}
