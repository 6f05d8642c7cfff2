import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { defineConfig } from '../src/index.js'
import { resolveConfig } from '../src/config.js'
import type { ParetoConfig } from '../src/config.js'
import type { RouteTable } from '../src/routes/types.js'
import type { ViteManifest } from '../src/server/assets.js'
import { computeBuildReport, formatBuildReport, formatBytes } from '../src/vite/build-report.js'

// Repetitive text compresses well; random-ish text does not: both, so raw and gzip sizes differ clearly.
const FILES: Record<string, string> = {
  'assets/entry.js': 'console.log("entry");'.repeat(400),
  'assets/react.js': Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 10007).toString(36)).join(','),
  'assets/layout.js': 'export const layout = 1;'.repeat(50),
  'assets/home.js': 'export const home = 1;'.repeat(20),
  'assets/blog.js': 'export const blog = 1;'.repeat(30),
  'assets/markdown.js': 'export const md = "' + 'x'.repeat(5000) + '";',
  'assets/lazy.js': 'export const lazy = 1;'.repeat(100),
  'assets/entry.css': 'body { margin: 0 }\n'.repeat(30),
  'assets/blog.css': '.post { color: red }\n'.repeat(40),
}

const manifest: ViteManifest = {
  'virtual:pareto/client-entry': {
    file: 'assets/entry.js',
    isEntry: true,
    imports: ['_react.js'],
    dynamicImports: ['app/layout.tsx', 'app/page.tsx', 'app/blog/[slug]/page.tsx'],
    css: ['assets/entry.css'],
  },
  '_react.js': { file: 'assets/react.js' },
  'app/layout.tsx': { file: 'assets/layout.js', isDynamicEntry: true, imports: ['virtual:pareto/client-entry'] },
  'app/page.tsx': { file: 'assets/home.js', isDynamicEntry: true, imports: ['virtual:pareto/client-entry'] },
  'app/blog/[slug]/page.tsx': {
    file: 'assets/blog.js',
    isDynamicEntry: true,
    imports: ['_markdown.js', 'virtual:pareto/client-entry'],
    // A dynamic import is not part of the first load.
    dynamicImports: ['_lazy.js'],
    css: ['assets/blog.css'],
  },
  '_markdown.js': { file: 'assets/markdown.js', imports: ['_react.js'] },
  '_lazy.js': { file: 'assets/lazy.js', isDynamicEntry: true },
}

const table: RouteTable = {
  rootLayout: 'layout.tsx',
  routes: [
    {
      id: '/blog/[slug]',
      kind: 'page',
      segments: [],
      file: 'blog/[slug]/page.tsx',
      layouts: ['layout.tsx'],
      heads: [],
    },
    { id: '/', kind: 'page', segments: [], file: 'page.tsx', layouts: ['layout.tsx'], heads: [] },
    { id: '/api/items', kind: 'resource', segments: [], file: 'api/items/route.ts', layouts: [], heads: [] },
  ],
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pareto-build-report-'))
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const raw = (...files: string[]) => files.reduce((n, f) => n + Buffer.byteLength(FILES[f]), 0)
const gzip = (...files: string[]) => files.reduce((n, f) => n + gzipSync(Buffer.from(FILES[f])).length, 0)

describe('computeBuildReport', () => {
  it('one row per page route, sorted by pattern; resource routes load no JavaScript and get none', () => {
    const report = computeBuildReport(manifest, table, dir, 'app')
    expect(report.rows.map((r) => r.route)).toEqual(['/', '/blog/[slug]'])
  })

  it('counts the entry, the route files and their static imports, and their CSS; not dynamic imports', () => {
    const [home, blog] = computeBuildReport(manifest, table, dir, 'app').rows
    expect(new Set(home.jsFiles)).toEqual(
      new Set(['assets/entry.js', 'assets/react.js', 'assets/layout.js', 'assets/home.js']),
    )
    const blogJs = ['assets/entry.js', 'assets/react.js', 'assets/layout.js', 'assets/blog.js', 'assets/markdown.js']
    expect(new Set(blog.jsFiles)).toEqual(new Set(blogJs))
    expect(blog.jsFiles).not.toContain('assets/lazy.js')
    expect(blog.js).toEqual({ raw: raw(...blogJs), gzip: gzip(...blogJs) })
    expect(blog.js.gzip).toBeLessThan(blog.js.raw)
    expect(new Set(blog.cssFiles)).toEqual(new Set(['assets/entry.css', 'assets/blog.css']))
    expect(blog.css).toEqual({
      raw: raw('assets/entry.css', 'assets/blog.css'),
      gzip: gzip('assets/entry.css', 'assets/blog.css'),
    })
    expect(home.css).toEqual({ raw: raw('assets/entry.css'), gzip: gzip('assets/entry.css') })
  })

  it('the total counts each shared file once', () => {
    const { total } = computeBuildReport(manifest, table, dir, 'app')
    const js = [
      'assets/entry.js',
      'assets/react.js',
      'assets/layout.js',
      'assets/home.js',
      'assets/blog.js',
      'assets/markdown.js',
    ]
    expect(total.js).toEqual({ raw: raw(...js), gzip: gzip(...js) })
    expect(total.jsFiles).toBe(6)
    expect(total.css).toEqual({
      raw: raw('assets/entry.css', 'assets/blog.css'),
      gzip: gzip('assets/entry.css', 'assets/blog.css'),
    })
  })

  it('a file the manifest lists but the folder lacks is an error that names it and says what to do', () => {
    const broken: ViteManifest = { ...manifest, '_react.js': { file: 'assets/gone.js' } }
    expect(() => computeBuildReport(broken, table, dir, 'app')).toThrow(/assets\/gone\.js.*Run `pareto build` again/)
  })
})

describe('formatBytes', () => {
  it('prints B, kB and MB with 1000 bytes to the kB', () => {
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(12_345)).toBe('12.3 kB')
    expect(formatBytes(1_250_000)).toBe('1.25 MB')
  })
})

describe('formatBuildReport', () => {
  const report = () => computeBuildReport(manifest, table, dir, 'app')

  it('prints a header, a line per route with raw and gzip sizes, and the total line, aligned', () => {
    const { lines, warnings } = formatBuildReport(report(), { firstLoadJsWarning: 150 })
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^First load\s+JS\s+gzip\s+CSS\s+gzip$/)
    const blog = report().rows[1]
    expect(lines[2]).toMatch(
      new RegExp(
        `^/blog/\\[slug\\]\\s+${formatBytes(blog.js.raw)}\\s+${formatBytes(blog.js.gzip)}\\s+${formatBytes(blog.css.raw)}\\s+${formatBytes(blog.css.gzip)}$`,
      ),
    )
    expect(lines[3]).toMatch(/^total \(shared files once\)\s+\d/)
    // the size columns line up
    const end = lines[0].length
    for (const l of lines) expect(l.length).toBe(end)
    expect(warnings).toEqual([])
  })

  it('a route without CSS shows a dash', () => {
    const noCss = { ...report(), rows: [{ ...report().rows[0], css: { raw: 0, gzip: 0 }, cssFiles: [] }] }
    expect(formatBuildReport(noCss, { firstLoadJsWarning: false }).lines[1]).toMatch(/-\s+-$/)
  })

  it('warns, naming the route and the threshold, for each route over firstLoadJsWarning (kB gzip)', () => {
    const r = report()
    const [home, blog] = r.rows
    expect(blog.js.gzip).toBeGreaterThan(home.js.gzip)
    // between the two routes' sizes: only the blog route is over
    const limit = (home.js.gzip + blog.js.gzip) / 2 / 1000
    const { warnings } = formatBuildReport(r, { firstLoadJsWarning: limit })
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/^⚠ \/blog\/\[slug\] loads .* kB of JavaScript \(gzip\)/)
    expect(warnings[0]).toContain(`over the ${limit} kB firstLoadJsWarning threshold`)
    // then, once, what to do about it
    expect(warnings[1]).toMatch(/React\.lazy\(\).*raise firstLoadJsWarning in pareto\.config\.ts/)
    const all = formatBuildReport(r, { firstLoadJsWarning: 0.001 }).warnings
    expect(all.filter((w) => w.startsWith('⚠'))).toHaveLength(2)
    expect(all).toHaveLength(3)
  })

  it('false or 0 turns the warning off', () => {
    expect(formatBuildReport(report(), { firstLoadJsWarning: false }).warnings).toEqual([])
    expect(formatBuildReport(report(), { firstLoadJsWarning: 0 }).warnings).toEqual([])
  })
})

describe('firstLoadJsWarning in the config', () => {
  it('defaults to 150 and takes a number or false', () => {
    expect(resolveConfig({}).firstLoadJsWarning).toBe(150)
    expect(resolveConfig({ firstLoadJsWarning: 80 }).firstLoadJsWarning).toBe(80)
    expect(resolveConfig({ firstLoadJsWarning: false }).firstLoadJsWarning).toBe(false)
    expect(resolveConfig({ firstLoadJsWarning: 0 }).firstLoadJsWarning).toBe(0)
  })

  it.each([-1, Infinity, NaN, '150', true])('rejects %s with a message naming the option', (value) => {
    expect(() => resolveConfig({ firstLoadJsWarning: value as number })).toThrow(
      /pareto\.config\.ts: firstLoadJsWarning must be a number of kB .* or false/,
    )
  })
})

describe('defineConfig', () => {
  it('returns the options unchanged, typed as ParetoConfig', () => {
    const options = { appDir: 'src/app', firstLoadJsWarning: false as const }
    expect(defineConfig(options)).toBe(options)
    expectTypeOf(defineConfig).parameter(0).toEqualTypeOf<ParetoConfig>()
    // @ts-expect-error: a misspelt option is a type error
    defineConfig({ firstLoadJsWarn: 1 })
  })
})
