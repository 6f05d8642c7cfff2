import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { RouteTable } from '../routes/types.js'
import { allFiles, viewFiles } from '../routes/view-files.js'
import { createAssetResolver } from '../server/assets.js'
import type { ViteManifest } from '../server/assets.js'

/** Bytes of some files as written to disk and gzip-compressed one by one, as a server sends them. */
export interface Size {
  raw: number
  gzip: number
}

/** What one page route loads on a first visit: the entry and every chunk it imports statically, and their CSS. */
export interface ReportRow {
  /** The route's URL pattern, e.g. `/blog/[slug]`. */
  route: string
  js: Size
  css: Size
  /** Files relative to the client output folder. */
  jsFiles: string[]
  cssFiles: string[]
}

/** The rows, sorted by URL pattern, and the total over every page route with each file counted once. */
export interface BuildReport {
  rows: ReportRow[]
  total: { js: Size; css: Size; jsFiles: number; cssFiles: number }
}

/**
 * Computes the first-load JavaScript and CSS of each page route from the client build manifest, with the same
 * traversal the server uses for its asset hints. `clientDir` is the folder the manifest's files are in.
 */
export function computeBuildReport(
  manifest: ViteManifest,
  table: RouteTable,
  clientDir: string,
  appDirName: string,
): BuildReport {
  // An empty base makes the resolver's URLs paths relative to the client folder.
  const assets = createAssetResolver(manifest, `${appDirName}/`, '')
  const sizes = new Map<string, Size>()
  const sizeOf = (file: string): Size => {
    let size = sizes.get(file)
    if (!size) {
      let bytes: Buffer
      try {
        bytes = readFileSync(join(clientDir, file))
      } catch {
        throw new Error(
          `The client build manifest lists ${file}, but it is not in ${clientDir}. Run \`pareto build\` again; if it persists, this is a Pareto bug: please report it.`,
        )
      }
      size = { raw: bytes.length, gzip: gzipSync(bytes).length }
      sizes.set(file, size)
    }
    return size
  }
  const sum = (files: Iterable<string>): Size => {
    const total = { raw: 0, gzip: 0 }
    for (const f of files) {
      const s = sizeOf(f)
      total.raw += s.raw
      total.gzip += s.gzip
    }
    return total
  }

  const allJs = new Set<string>()
  const allCss = new Set<string>()
  const rows: ReportRow[] = []
  for (const route of table.routes) {
    if (route.kind !== 'page') continue
    const { modules, css } = assets.forFiles(allFiles(viewFiles(table, { kind: 'page', route })))
    const jsFiles = [assets.entry, ...modules]
    for (const f of jsFiles) allJs.add(f)
    for (const f of css) allCss.add(f)
    rows.push({ route: route.id, js: sum(jsFiles), css: sum(css), jsFiles, cssFiles: css })
  }
  rows.sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0))
  return { rows, total: { js: sum(allJs), css: sum(allCss), jsFiles: allJs.size, cssFiles: allCss.size } }
}

/** A byte count the way build tools print it: `812 B`, `12.3 kB`, `1.25 MB` (1 kB = 1000 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`
  return `${(bytes / 1_000_000).toFixed(2)} MB`
}

/** The printed report: an aligned table; warnings name each route whose first-load JS (gzip) is over the threshold. */
export function formatBuildReport(
  report: BuildReport,
  options: { firstLoadJsWarning: number | false },
): { lines: string[]; warnings: string[] } {
  const totalLabel = 'total (shared files once)'
  const header = ['First load', 'JS', 'gzip', 'CSS', 'gzip']
  const cells = (label: string, s: { js: Size; css: Size }) => [
    label,
    formatBytes(s.js.raw),
    formatBytes(s.js.gzip),
    s.css.raw ? formatBytes(s.css.raw) : '-',
    s.css.raw ? formatBytes(s.css.gzip) : '-',
  ]
  const table = [header, ...report.rows.map((r) => cells(r.route, r)), cells(totalLabel, report.total)]
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)))
  const lines = table.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  )

  const warnings: string[] = []
  const limit = options.firstLoadJsWarning || 0
  for (const r of report.rows) {
    if (limit && r.js.gzip > limit * 1000)
      warnings.push(
        `⚠ ${r.route} loads ${formatBytes(r.js.gzip)} of JavaScript (gzip) on first visit, over the ${limit} kB firstLoadJsWarning threshold.`,
      )
  }
  // The advice once, after the routes, so many routes over the threshold stay readable.
  if (warnings.length)
    warnings.push(
      '  Load rarely used components with React.lazy() or a dynamic import(), or raise firstLoadJsWarning in pareto.config.ts (false turns the warning off).',
    )
  return { lines, warnings }
}

/** The static pages' table: each page's URL, what it answers (a redirect shows its target) and its HTML's size. */
export function formatStaticReport(
  rows: { path: string; status: number; location?: string; html: { raw: number; gzip: number } }[],
): string[] {
  const header = ['Static pages', 'status', 'HTML', 'gzip']
  const table = [
    header,
    ...rows.map((r) => [
      r.location ? `${r.path} → ${r.location}` : r.path,
      String(r.status),
      r.html.raw ? formatBytes(r.html.raw) : '-',
      r.html.raw ? formatBytes(r.html.gzip) : '-',
    ]),
  ]
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)))
  return table.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  )
}
