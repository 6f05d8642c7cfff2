import { describe, expect, it } from 'vitest'
import { createAssetResolver } from '../src/server/assets.js'
import type { ViteManifest } from '../src/server/assets.js'

const manifest: ViteManifest = {
  '.pareto/client-entry.tsx': {
    file: 'assets/entry-abc.js',
    src: '.pareto/client-entry.tsx',
    isEntry: true,
    imports: ['_react-123.js'],
    dynamicImports: ['app/page.tsx', 'app/layout.tsx', 'app/about/page.tsx'],
    css: ['assets/entry-abc.css'],
  },
  '_react-123.js': { file: 'assets/react-123.js' },
  'app/page.tsx': {
    file: 'assets/page-def.js',
    src: 'app/page.tsx',
    isDynamicEntry: true,
    imports: ['_shared-456.js', '.pareto/client-entry.tsx'],
    css: ['assets/page-def.css'],
  },
  'app/layout.tsx': {
    file: 'assets/layout-ghi.js',
    src: 'app/layout.tsx',
    isDynamicEntry: true,
    imports: ['_shared-456.js'],
  },
  'app/about/page.tsx': { file: 'assets/about-jkl.js', src: 'app/about/page.tsx', isDynamicEntry: true },
  '_shared-456.js': { file: 'assets/shared-456.js', imports: ['_react-123.js'], css: ['assets/shared-456.css'] },
}

describe('createAssetResolver', () => {
  it('gives the entry URL under the base', () => {
    expect(createAssetResolver(manifest, 'app/').entry).toBe('/assets/entry-abc.js')
    expect(createAssetResolver(manifest, 'app/', '/static/').entry).toBe('/static/assets/entry-abc.js')
  })

  it("forFiles returns the page chunk, its imports, their css and the entry's imports, not the entry", () => {
    const { modules, css } = createAssetResolver(manifest, 'app/').forFiles(['page.tsx'])
    expect(new Set(modules)).toEqual(new Set(['/assets/page-def.js', '/assets/shared-456.js', '/assets/react-123.js']))
    expect(modules).not.toContain('/assets/entry-abc.js')
    expect(new Set(css)).toEqual(new Set(['/assets/entry-abc.css', '/assets/page-def.css', '/assets/shared-456.css']))
    // no duplicates
    expect(modules.length).toBe(new Set(modules).size)
    expect(css.length).toBe(new Set(css).size)
  })

  it('merges several files without duplicates and leaves other routes out', () => {
    const { modules, css } = createAssetResolver(manifest, 'app/').forFiles(['layout.tsx', 'page.tsx'])
    expect(modules.filter((m) => m === '/assets/shared-456.js')).toHaveLength(1)
    expect(modules).toContain('/assets/layout-ghi.js')
    expect(modules).toContain('/assets/page-def.js')
    expect(modules).not.toContain('/assets/about-jkl.js')
    expect(css.filter((c) => c === '/assets/shared-456.css')).toHaveLength(1)
  })

  it('a route without imports still gets the entry imports and css', () => {
    const { modules, css } = createAssetResolver(manifest, 'app/').forFiles(['about/page.tsx'])
    expect(new Set(modules)).toEqual(new Set(['/assets/about-jkl.js', '/assets/react-123.js']))
    expect(css).toEqual(['/assets/entry-abc.css'])
  })

  it('prefixes every URL with the base', () => {
    const { modules, css } = createAssetResolver(manifest, 'app/', '/static/').forFiles(['page.tsx'])
    expect(modules.every((m) => m.startsWith('/static/assets/'))).toBe(true)
    expect(css.every((c) => c.startsWith('/static/assets/'))).toBe(true)
    expect(modules).not.toContain('/static/assets/entry-abc.js')
  })

  it('files missing from the manifest add nothing', () => {
    const r = createAssetResolver(manifest, 'app/')
    expect(new Set(r.forFiles(['nope.tsx']).modules)).toEqual(new Set(['/assets/react-123.js']))
  })

  it('answers repeated calls consistently', () => {
    const r = createAssetResolver(manifest, 'app/')
    const first = r.forFiles(['page.tsx'])
    expect(r.forFiles(['page.tsx'])).toEqual(first)
    expect(r.forFiles(['about/page.tsx']).modules).not.toContain('/assets/page-def.js')
  })

  it('throws telling to rebuild when there is no entry', () => {
    const { '.pareto/client-entry.tsx': _entry, ...rest } = manifest
    expect(() => createAssetResolver(rest, 'app/')).toThrow(/no entry chunk/)
    expect(() => createAssetResolver(rest, 'app/')).toThrow(/pareto build/)
    expect(() => createAssetResolver({}, 'app/')).toThrow(/pareto build/)
  })
})
