import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MalformedPathError, createMatcher } from '../src/routes/match.js'
import { scanRoutes } from '../src/routes/scan.js'
import type { RouteTable } from '../src/routes/types.js'

const dirs: string[] = []

/** Makes a temp app directory holding the given files (paths relative to it). */
function app(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-routes-'))
  dirs.push(dir)
  for (const f of files) {
    const full = join(dir, f)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, 'export default function X() { return null }\n')
  }
  return dir
}

/** Makes a temp app directory with the given sources (paths relative to it). */
function appWith(files: Record<string, string>): string {
  const dir = app([])
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    writeFileSync(join(dir, f), text)
  }
  return dir
}

/** The message scanRoutes throws for a directory, or '' when it does not throw. */
function scanError(dir: string): string {
  try {
    scanRoutes(dir)
    return ''
  } catch (e) {
    return (e as Error).message
  }
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const byId = (table: RouteTable, id: string) => {
  const r = table.routes.find((x) => x.id === id)
  if (!r) throw new Error(`no route ${id}; have ${table.routes.map((x) => x.id).join(', ')}`)
  return r
}
const ids = (table: RouteTable) => table.routes.map((r) => r.id)

describe('scanRoutes', () => {
  it('turns page files into page routes', () => {
    const t = scanRoutes(app(['page.tsx', 'about/page.tsx', 'blog/post/page.jsx']))
    expect(ids(t).sort()).toEqual(['/', '/about', '/blog/post'])
    expect(byId(t, '/about')).toMatchObject({
      kind: 'page',
      file: 'about/page.tsx',
      segments: [{ type: 'static', value: 'about' }],
    })
    expect(byId(t, '/blog/post').file).toBe('blog/post/page.jsx')
  })

  it('a folder without page or route is not a route', () => {
    const t = scanRoutes(app(['page.tsx', 'lib/util.ts', 'empty/layout.tsx']))
    expect(ids(t)).toEqual(['/'])
  })

  it('records layouts and heads root to leaf', () => {
    const t = scanRoutes(
      app([
        'layout.tsx',
        'head.tsx',
        'page.tsx',
        'a/layout.tsx',
        'a/b/layout.tsx',
        'a/b/head.tsx',
        'a/b/c/page.tsx',
        'x/page.tsx',
      ]),
    )
    expect(t.rootLayout).toBe('layout.tsx')
    expect(t.rootHead).toBe('head.tsx')
    const leaf = byId(t, '/a/b/c')
    expect(leaf.layouts).toEqual(['layout.tsx', 'a/layout.tsx', 'a/b/layout.tsx'])
    expect(leaf.heads).toEqual(['head.tsx', 'a/b/head.tsx'])
    // siblings do not inherit each other's layouts
    expect(byId(t, '/x').layouts).toEqual(['layout.tsx'])
    expect(byId(t, '/').layouts).toEqual(['layout.tsx'])
  })

  it('records the loader file next to a page', () => {
    const t = scanRoutes(app(['page.tsx', 'blog/page.tsx', 'blog/loader.ts']))
    expect(byId(t, '/blog').loaderFile).toBe('blog/loader.ts')
    expect(byId(t, '/').loaderFile).toBeUndefined()
  })

  it('parses dynamic, catch-all and optional catch-all folders', () => {
    const t = scanRoutes(app(['blog/[slug]/page.tsx', 'files/[...rest]/page.tsx', 'docs/[[...path]]/page.tsx']))
    expect(byId(t, '/blog/[slug]').segments).toEqual([
      { type: 'static', value: 'blog' },
      { type: 'dynamic', name: 'slug' },
    ])
    expect(byId(t, '/files/[...rest]').segments[1]).toEqual({ type: 'catchall', name: 'rest' })
    expect(byId(t, '/docs/[[...path]]').segments[1]).toEqual({ type: 'optional', name: 'path' })
  })

  it('(group) folders add no URL segment but their layout applies', () => {
    const t = scanRoutes(
      app(['layout.tsx', '(marketing)/layout.tsx', '(marketing)/head.tsx', '(marketing)/pricing/page.tsx']),
    )
    const r = byId(t, '/pricing')
    expect(r.segments).toEqual([{ type: 'static', value: 'pricing' }])
    expect(r.file).toBe('(marketing)/pricing/page.tsx')
    expect(r.layouts).toEqual(['layout.tsx', '(marketing)/layout.tsx'])
    expect(r.heads).toEqual(['(marketing)/head.tsx'])
  })

  it('route.ts makes a resource route, which gets no loaderFile', () => {
    const t = scanRoutes(app(['api/health/route.ts', 'api/health/loader.ts']))
    const r = byId(t, '/api/health')
    expect(r.kind).toBe('resource')
    expect(r.file).toBe('api/health/route.ts')
    expect(r.loaderFile).toBeUndefined()
  })

  it('records root-only files at the root', () => {
    const t = scanRoutes(app(['page.tsx', 'not-found.tsx', 'error.tsx', 'document.tsx']))
    expect(t.notFound).toBe('not-found.tsx')
    expect(t.error).toBe('error.tsx')
    expect(t.document).toBe('document.tsx')
  })

  it.each(['not-found.tsx', 'error.tsx', 'document.tsx'])('%s in a subfolder throws naming the file', (name) => {
    const dir = app(['page.tsx', `blog/${name}`, 'blog/page.tsx'])
    expect(() => scanRoutes(dir)).toThrow(`app/blog/${name}`)
    expect(() => scanRoutes(dir)).toThrow(/only read at the root/)
  })

  it('ignores _private and dot folders', () => {
    const t = scanRoutes(app(['page.tsx', '_components/page.tsx', '_lib/x/page.tsx', '.cache/page.tsx']))
    expect(ids(t)).toEqual(['/'])
  })

  it('throws for page and route in one folder, naming both', () => {
    const dir = app(['api/page.tsx', 'api/route.ts'])
    expect(() => scanRoutes(dir)).toThrow(/app\/api\/route\.ts: a folder cannot hold both page and route/)
    expect(() => scanRoutes(dir)).toThrow(/app\/api\/page\.tsx is there too\). Move the resource route/)
  })

  it('throws naming both files when two groups map the same URL', () => {
    const dir = app(['(a)/about/page.tsx', '(b)/about/page.tsx'])
    let message = ''
    try {
      scanRoutes(dir)
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toContain('app/(a)/about/page.tsx')
    expect(message).toContain('app/(b)/about/page.tsx')
    expect(message).toContain('/about')
  })

  it('throws when two dynamic folders with different names answer the same URLs', () => {
    const dir = app(['blog/[id]/page.tsx', 'blog/[slug]/page.tsx'])
    expect(scanError(dir)).toMatch(/^app\/blog\/\[id\] and app\/blog\/\[slug\] capture the same URL segment/)
  })

  describe('one name per dynamic segment', () => {
    it('two dynamic sibling folders are an error even when their pages sit at different depths', () => {
      const message = scanError(app(['blog/[id]/page.tsx', 'blog/[slug]/edit/page.tsx']))
      expect(message).toContain('app/blog/[id] and app/blog/[slug] capture the same URL segment under two names')
      expect(message).toContain('rename app/blog/[slug] to app/blog/[id]')
    })

    it('also across route groups, which add no segment', () => {
      const message = scanError(app(['(a)/[id]/page.tsx', '(b)/[slug]/edit/page.tsx']))
      expect(message).toContain('app/(a)/[id] and app/(b)/[slug] capture the same URL segment')
      expect(message).toContain('rename app/(b)/[slug] to app/(b)/[id]')
    })

    it('two catch-alls with different names are an error too', () => {
      expect(scanError(app(['docs/[...a]/page.tsx', 'docs/[...b]/page.tsx']))).toContain(
        'app/docs/[...a] and app/docs/[...b] capture the same URL segment',
      )
    })

    it('the same name in two groups, and different kinds side by side, are fine', () => {
      const t = scanRoutes(
        app(['(a)/[id]/page.tsx', '(b)/[id]/edit/page.tsx', 'x/[slug]/page.tsx', 'x/[...rest]/page.tsx']),
      )
      expect(ids(t).sort()).toEqual(['/[id]', '/[id]/edit', '/x/[...rest]', '/x/[slug]'])
    })
  })

  describe('page default export', () => {
    it.each([
      ['a function', 'export default function Page() { return null }'],
      ['an expression', 'const Page = () => null\nexport default Page'],
      ['a renamed specifier', 'function Page() { return null }\nexport { Page as default }'],
      ['a re-export', "export { default } from '../_page'"],
      ['TypeScript', 'type P = { a: string }\nexport default function Page(props: P): null { return null }'],
    ])('accepts %s', (_, source) => {
      expect(scanError(appWith({ 'about/page.tsx': source }))).toBe('')
    })

    it.each([
      ['no default export', 'export function Page() { return null }'],
      ['one in a comment only', '// export default function Page() {}\nexport const x = 1'],
      ['a type named default', 'type Page = {}\nexport type { Page as default }'],
      ['only export *', "export * from '../_page'"],
    ])('throws for %s, naming the file and the fix', (_, source) => {
      const message = scanError(appWith({ 'page.tsx': 'export default () => null', 'about/page.tsx': source }))
      expect(message).toMatch(/^app\/about\/page\.tsx has no default export\./)
      expect(message).toContain('add `export default function Page()')
    })

    it('checks .jsx and .js pages too', () => {
      expect(scanError(appWith({ 'a/page.jsx': 'export const A = () => <p />' }))).toContain(
        'app/a/page.jsx has no default export',
      )
      expect(scanError(appWith({ 'b/page.js': 'export const B = 1' }))).toContain('app/b/page.js has no default export')
    })

    it('leaves a page that does not parse to Vite, which reports it with a code frame', () => {
      expect(scanError(appWith({ 'page.tsx': 'export default function (' }))).toBe('')
    })
  })

  describe('action in a layout', () => {
    it('a layout may export a loader', () => {
      const dir = appWith({
        'page.tsx': 'export default () => null',
        'layout.tsx': 'export function loader() { return 1 }\nexport default () => null',
      })
      expect(scanError(dir)).toBe('')
    })

    it.each([
      ['a function', 'export async function action() { return 1 }'],
      ['a const', 'export const action = () => 1'],
      ['a specifier', 'const act = () => 1\nexport { act as action }'],
    ])('throws for %s, naming the layout and the fix', (_, source) => {
      const dir = appWith({
        'page.tsx': 'export default () => null',
        'blog/page.tsx': 'export default () => null',
        'blog/layout.tsx': `${source}\nexport default function L({ children }: { children: unknown }) { return children }`,
      })
      const message = scanError(dir)
      expect(message).toMatch(/^app\/blog\/layout\.tsx exports an action, but actions belong to pages/)
      expect(message).toContain('Move it to a page.tsx')
    })

    it('a root layout is checked too', () => {
      expect(scanError(appWith({ 'layout.tsx': 'export function action() {}\nexport default () => null' }))).toMatch(
        /^app\/layout\.tsx exports an action/,
      )
    })

    it('other exports and an action type are fine', () => {
      const dir = appWith({
        'layout.tsx':
          'const action = 1\nexport { action as config }\nexport type action = number\nexport default () => action',
        'page.tsx': 'export default () => null',
      })
      expect(scanError(dir)).toBe('')
    })
  })

  it.each(['[slug', 'slug]', '[1abc]', '[...]', '[[...x]', '[a-b]', '[[x]]'])('bad bracket name %s throws', (name) => {
    const dir = app([`${name}/page.tsx`])
    expect(() => scanRoutes(dir)).toThrow(/is not a valid route folder name/)
    expect(() => scanRoutes(dir)).toThrow(name)
  })

  it('throws when a folder sits below a catch-all', () => {
    const dir = app(['docs/[...rest]/more/page.tsx'])
    expect(() => scanRoutes(dir)).toThrow(/catch-all folder must be the last segment/)
  })

  it('throws a helpful error for a missing app directory', () => {
    expect(() => scanRoutes(join(tmpdir(), 'pareto-does-not-exist-' + Date.now()))).toThrow(
      /Could not read the app directory/,
    )
  })

  describe('priority', () => {
    it('sorts static before dynamic before catch-all before optional catch-all', () => {
      const t = scanRoutes(
        app(
          [
            'blog/[...rest]/page.tsx',
            'blog/[slug]/page.tsx',
            'blog/new/page.tsx',
            'blog/[[...opt]]/page.tsx',
          ].reverse(),
        ),
      )
      // a folder holding both [...rest] and [[...opt]] would collide only if their keys matched; they do not
      expect(ids(t)).toEqual(['/blog/new', '/blog/[slug]', '/blog/[...rest]', '/blog/[[...opt]]'])
    })

    it('/docs comes before /docs/[[...path]]', () => {
      const t = scanRoutes(app(['docs/[[...path]]/page.tsx', 'docs/page.tsx']))
      expect(ids(t)).toEqual(['/docs', '/docs/[[...path]]'])
    })

    it('deeper static beats shallower dynamic at the first differing segment', () => {
      const t = scanRoutes(app(['[a]/page.tsx', 'x/y/page.tsx', 'x/[b]/page.tsx']))
      expect(ids(t)).toEqual(['/x/y', '/x/[b]', '/[a]'])
    })
  })
})

describe('createMatcher', () => {
  const table = () =>
    scanRoutes(
      app([
        'page.tsx',
        'about/page.tsx',
        'blog/new/page.tsx',
        'blog/[slug]/page.tsx',
        'files/[...rest]/page.tsx',
        'docs/[[...path]]/page.tsx',
        'shop/[[...path]]/page.tsx',
        'shop/page.tsx',
      ]),
    )

  it('matches static routes with empty params', () => {
    const m = createMatcher(table().routes)
    expect(m('/')).toMatchObject({ route: { id: '/' }, params: {} })
    expect(m('/about')).toMatchObject({ route: { id: '/about' }, params: {} })
  })

  it('matches a path with empty segments or a trailing slash like its plain form', () => {
    const m = createMatcher(table().routes)
    for (const path of ['/about/', '//about', '/about//']) expect(m(path)?.route.id).toBe('/about')
    expect(m('/blog/new/')?.route.id).toBe('/blog/new')
    expect(m('//')?.route.id).toBe('/')
  })

  it('prefers static over dynamic', () => {
    const m = createMatcher(table().routes)
    expect(m('/blog/new')?.route.id).toBe('/blog/new')
    expect(m('/blog/other')).toMatchObject({ route: { id: '/blog/[slug]' }, params: { slug: 'other' } })
  })

  it('joins catch-all parts with /', () => {
    const m = createMatcher(table().routes)
    expect(m('/files/a/b')).toMatchObject({ route: { id: '/files/[...rest]' }, params: { rest: 'a/b' } })
    expect(m('/files/a')?.params).toEqual({ rest: 'a' })
    // a catch-all needs at least one segment
    expect(m('/files')).toBeNull()
  })

  it('optional catch-all matches its parent with the param undefined', () => {
    const m = createMatcher(table().routes)
    const hit = m('/docs')
    expect(hit?.route.id).toBe('/docs/[[...path]]')
    expect(hit?.params).toHaveProperty('path', undefined)
    expect('path' in hit!.params).toBe(true)
    expect(m('/docs/x/y/z')?.params).toEqual({ path: 'x/y/z' })
  })

  it('an explicit parent page beats the optional catch-all', () => {
    const m = createMatcher(table().routes)
    expect(m('/shop')?.route.id).toBe('/shop')
    expect(m('/shop/a')?.route.id).toBe('/shop/[[...path]]')
  })

  it('percent-decodes params', () => {
    const m = createMatcher(table().routes)
    expect(m('/blog/hello%20world')?.params).toEqual({ slug: 'hello world' })
    expect(m('/blog/caf%C3%A9')?.params).toEqual({ slug: 'café' })
    expect(m('/files/a%2Fb/c')?.params).toEqual({ rest: 'a/b/c' })
  })

  it('percent-decodes static segments too', () => {
    const m = createMatcher(table().routes)
    expect(m('/%61bout')?.route.id).toBe('/about')
  })

  it('throws MalformedPathError (status 400) for bad percent-encoding', () => {
    const m = createMatcher(table().routes)
    let err: unknown
    try {
      m('/blog/%E0%A4%A')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(MalformedPathError)
    expect((err as MalformedPathError).status).toBe(400)
    expect((err as MalformedPathError).expose).toBe(true)
    expect((err as Error).message).toContain('%E0%A4%A')
  })

  it('ignores trailing and repeated slashes', () => {
    const m = createMatcher(table().routes)
    expect(m('/about/')?.route.id).toBe('/about')
    expect(m('/blog/x/')?.params).toEqual({ slug: 'x' })
    expect(m('//about')?.route.id).toBe('/about')
  })

  it('returns null when nothing matches', () => {
    const m = createMatcher(table().routes)
    expect(m('/nope')).toBeNull()
    expect(m('/about/more')).toBeNull()
    expect(m('/blog/a/b')).toBeNull()
  })

  it('the first of two same-shape patterns in sorted order wins', () => {
    const m = createMatcher(scanRoutes(app(['a/[x]/page.tsx', '[y]/b/page.tsx'])).routes)
    // /a/b fits both; static-first at segment 0 picks /a/[x]
    expect(m('/a/b')).toMatchObject({ route: { id: '/a/[x]' }, params: { x: 'b' } })
  })
})

describe('encoded separators', () => {
  it('an encoded slash (%2F) does not match a static route with a real slash', () => {
    const match = createMatcher([
      {
        segments: [
          { type: 'static' as const, value: 'a' },
          { type: 'static' as const, value: 'b' },
        ],
      },
    ])
    expect(match('/a/b')).not.toBeNull()
    expect(match('/a%2Fb')).toBeNull()
  })
})
