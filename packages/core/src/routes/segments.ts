import type { Segment } from './types.js'

/** Parses a folder name into a URL segment; `null` for route groups `(name)`, which add no segment. */
export function parseSegment(name: string, where: string): Segment | null {
  if (/^\(.+\)$/.test(name)) return null
  const optional = /^\[\[\.\.\.([A-Za-z_$][\w$]*)\]\]$/.exec(name)
  if (optional) return { type: 'optional', name: optional[1] }
  const catchall = /^\[\.\.\.([A-Za-z_$][\w$]*)\]$/.exec(name)
  if (catchall) return { type: 'catchall', name: catchall[1] }
  const dynamic = /^\[([A-Za-z_$][\w$]*)\]$/.exec(name)
  if (dynamic) return { type: 'dynamic', name: dynamic[1] }
  if (name.includes('[') || name.includes(']')) {
    throw new Error(
      `${where}: "${name}" is not a valid route folder name. Use [param], [...rest] or [[...rest]] with a plain identifier inside the brackets.`,
    )
  }
  return { type: 'static', value: name }
}

const RANK = { static: 4, dynamic: 3, catchall: 2, end: 1, optional: 0 } as const

function rankAt(segments: Segment[], i: number): number {
  const s = segments[i]
  return s ? RANK[s.type] : RANK.end
}

/** Orders routes so the first match wins: static before dynamic before catch-all, compared segment by segment. */
export function compareRoutes(a: { segments: Segment[] }, b: { segments: Segment[] }): number {
  const n = Math.max(a.segments.length, b.segments.length)
  for (let i = 0; i < n; i++) {
    const diff = rankAt(b.segments, i) - rankAt(a.segments, i)
    if (diff !== 0) return diff
  }
  return 0
}

/** The route's URL pattern, e.g. `/blog/:slug` style but with the folder syntax kept. */
export function patternOf(segments: Segment[]): string {
  const parts = segments.map((s) =>
    s.type === 'static'
      ? s.value
      : s.type === 'dynamic'
        ? `[${s.name}]`
        : s.type === 'catchall'
          ? `[...${s.name}]`
          : `[[...${s.name}]]`,
  )
  return '/' + parts.join('/')
}

/** The params a route file can see: the dynamic segments of the folders above it (`blog/[slug]/layout.tsx` → slug). */
export function layoutParamNames(file: string): string[] {
  const names: string[] = []
  for (const folder of file.split('/').slice(0, -1)) {
    const m = /^\[{1,2}(?:\.\.\.)?([A-Za-z_$][\w$]*)\]{1,2}$/.exec(folder)
    if (m) names.push(m[1])
  }
  return names
}
