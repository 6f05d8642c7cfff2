import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSegment, compareRoutes, patternOf } from '../src/routes/segments.js'
import type { RouteEntry, RouteTable, Segment } from '../src/routes/types.js'
import { isStaticPage, planStaticPages } from '../src/static/plan.js'
import { pageKey, StaticPages, STATIC_CACHE_CONTROL } from '../src/static/serve.js'
import type { StaticManifest } from '../src/static/types.js'

/** A route table from folder paths, as the scan would make it (`blog/[slug]` → app/blog/[slug]/page.tsx). */
function table(...folders: string[]): RouteTable {
  const routes: RouteEntry[] = folders.map((f) => {
    const segments = f
      .split('/')
      .filter(Boolean)
      .map((n) => parseSegment(n, n))
      .filter((s): s is Segment => s !== null)
    return {
      id: patternOf(segments),
      kind: 'page',
      segments,
      file: f ? `${f}/page.tsx` : 'page.tsx',
      layouts: [],
      heads: [],
    }
  })
  return { routes: routes.sort(compareRoutes) }
}

const STATIC = { config: { render: 'static' } }

describe('recognising static pages', () => {
  it('reads config.render: static, dynamic or absent; anything else names the file', () => {
    expect(isStaticPage({ config: { render: 'static' } }, 'app/page.tsx')).toBe(true)
    expect(isStaticPage({ config: { render: 'dynamic' } }, 'app/page.tsx')).toBe(false)
    expect(isStaticPage({}, 'app/page.tsx')).toBe(false)
    expect(() => isStaticPage({ config: { render: 'prerender' } }, 'app/a/page.tsx')).toThrow(
      /app\/a\/page\.tsx: config\.render is "prerender"; it must be 'static'/,
    )
    expect(() => isStaticPage({ config: 'static' }, 'app/a/page.tsx')).toThrow(
      /app\/a\/page\.tsx: config must be an object/,
    )
  })

  it('plans one page per static route without params, and one per staticParams entry, sync or async', async () => {
    const pages = await planStaticPages(
      table('', 'about', 'blog/[slug]', 'docs/[...rest]', 'live'),
      {
        'page.tsx': STATIC,
        'about/page.tsx': STATIC,
        'blog/[slug]/page.tsx': {
          ...STATIC,
          staticParams: async () => [{ slug: 'a' }, { slug: 'héllo wörld' }, { slug: 'a' }],
        },
        'docs/[...rest]/page.tsx': { ...STATIC, staticParams: () => [{ rest: 'x/y' }, { rest: ['z'] }] },
        'live/page.tsx': {},
      },
      'app',
    )
    const planned = pages.map((p) => [p.key, p.url, p.params]).sort((a, b) => (a[0] < b[0] ? -1 : 1))
    expect(planned).toEqual([
      ['/', '/', {}],
      ['/about', '/about', {}],
      ['/blog/a', '/blog/a', { slug: 'a' }],
      ['/blog/héllo wörld', '/blog/h%C3%A9llo%20w%C3%B6rld', { slug: 'héllo wörld' }],
      ['/docs/x/y', '/docs/x/y', { rest: 'x/y' }],
      ['/docs/z', '/docs/z', { rest: 'z' }],
    ])
  })

  it('builds the parent URL of an optional catch-all for an entry without the param', async () => {
    const pages = await planStaticPages(
      table('docs/[[...path]]'),
      { 'docs/[[...path]]/page.tsx': { ...STATIC, staticParams: () => [{}, { path: 'a' }] } },
      'app',
    )
    expect(pages.map((p) => p.key)).toEqual(['/docs', '/docs/a'])
  })
})

describe('static build errors name the file', () => {
  const plan = (folder: string, mod: object) => planStaticPages(table(folder), { [`${folder}/page.tsx`]: mod }, 'app')

  it('a static route with params and no staticParams', async () => {
    await expect(plan('blog/[slug]', STATIC)).rejects.toThrow(
      /app\/blog\/\[slug\]\/page\.tsx is static and its URL \(\/blog\/\[slug\]\) has params, but it exports no staticParams\(\)/,
    )
  })

  it('staticParams on a page that is not static', async () => {
    await expect(plan('blog/[slug]', { staticParams: () => [] })).rejects.toThrow(
      /app\/blog\/\[slug\]\/page\.tsx exports staticParams\(\), but the page is not static/,
    )
    await expect(plan('blog/[slug]', { config: { render: 'dynamic' }, staticParams: () => [] })).rejects.toThrow(
      /is not static/,
    )
  })

  it('staticParams on a static page without params, or not a function', async () => {
    await expect(plan('about', { ...STATIC, staticParams: () => [] })).rejects.toThrow(
      /app\/about\/page\.tsx exports staticParams\(\), but its URL \(\/about\) has no params/,
    )
    await expect(plan('blog/[slug]', { ...STATIC, staticParams: [{ slug: 'a' }] })).rejects.toThrow(
      /app\/blog\/\[slug\]\/page\.tsx: staticParams must be a function/,
    )
  })

  it('entries that do not fit the route, and a staticParams that throws or returns no array', async () => {
    const cases: [unknown, RegExp][] = [
      [[{ slug: 1 }], /slug must be a string/],
      [[{ slug: 'a/b' }], /holds a "\/"; a \[slug\] param is one URL segment \(use \[\.\.\.slug\] for several\)/],
      [[{ slug: '..' }], /is "\.\."/],
      [[{ slug: '' }], /is empty/],
      [[{ slug: 'a', lang: 'en' }], /"lang", which the route \/blog\/\[slug\] has no param for/],
      [['a'], /where an object of params was expected/],
      [{ slug: 'a' }, /must return an array of params objects/],
    ]
    for (const [listed, message] of cases) {
      await expect(plan('blog/[slug]', { ...STATIC, staticParams: () => listed })).rejects.toThrow(message)
      await expect(plan('blog/[slug]', { ...STATIC, staticParams: () => listed })).rejects.toThrow(
        /^app\/blog\/\[slug\]\/page\.tsx/,
      )
    }
    await expect(
      plan('blog/[slug]', {
        ...STATIC,
        staticParams: () => {
          throw new Error('CMS unreachable')
        },
      }),
    ).rejects.toThrow(
      /app\/blog\/\[slug\]\/page\.tsx: staticParams\(\) threw while listing the pages to build:\nError: CMS unreachable/,
    )
  })

  it('a listed URL another route answers', async () => {
    await expect(
      planStaticPages(
        table('about', '[page]'),
        { 'about/page.tsx': {}, '[page]/page.tsx': { ...STATIC, staticParams: () => [{ page: 'about' }] } },
        'app',
      ),
    ).rejects.toThrow(
      /app\/\[page\]\/page\.tsx: staticParams\(\) lists \/about, but that URL is answered by app\/about\/page\.tsx/,
    )
  })
})

describe('serving static pages', () => {
  it('finds a page by its decoded path, with or without a trailing slash or encoding', () => {
    expect(pageKey('/blog/a')).toBe('/blog/a')
    expect(pageKey('/')).toBe('/')
    expect(pageKey('/blog/a/')).toBe('/blog/a')
    expect(pageKey('//blog//a')).toBe('/blog/a')
    expect(pageKey('/blog/h%C3%A9llo%20w%C3%B6rld')).toBe('/blog/héllo wörld')
    expect(pageKey('/blog/a%2Fb')).toBeNull()
    expect(pageKey('/blog/%E0%A4%A')).toBeNull()
  })

  const outDir = mkdtempSync(join(tmpdir(), 'pareto-static-'))
  const body = (file: string) => ({ file, etag: `"${file}"`, size: 5, encodings: [] })
  const manifest: StaticManifest = {
    version: 1,
    pages: {
      '/a': {
        route: '/a',
        document: {
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: {
            file: 'a/index.html',
            etag: '"doc"',
            size: 5,
            encodings: [
              { encoding: 'br', etag: '"doc-br"', size: 3 },
              { encoding: 'gzip', etag: '"doc-gz"', size: 4 },
            ],
          },
        },
        data: {
          status: 200,
          headers: { 'content-type': 'text/x-pareto-frames' },
          body: body('__pareto/data/a/index.frames'),
        },
      },
      '/old': {
        route: '/old',
        document: { status: 308, headers: { location: '/a' } },
        data: { status: 200, headers: {}, body: body('x') },
      },
    },
  }
  mkdirSync(join(outDir, 'static/a'), { recursive: true })
  writeFileSync(join(outDir, 'static/a/index.html'), 'hello')
  writeFileSync(join(outDir, 'static.json'), JSON.stringify(manifest))
  const pages = StaticPages.load(outDir)!
  const header = (r: { headers: [string, string][] } | undefined, name: string) =>
    r?.headers.find(([n]) => n === name)?.[1]

  it('answers GET and HEAD only, for a page and its navigation data', () => {
    expect(pages.reply('POST', '/a', undefined, undefined)).toBeUndefined()
    expect(pages.reply('GET', '/b', undefined, undefined)).toBeUndefined()
    expect(pages.reply('GET', '/constructor', undefined, undefined)).toBeUndefined()
    const get = pages.reply('GET', '/a/', undefined, undefined)!
    expect(get).toMatchObject({ status: 200, file: 'a/index.html' })
    expect(header(get, 'etag')).toBe('"doc"')
    expect(header(get, 'cache-control')).toBe(STATIC_CACHE_CONTROL)
    expect(header(get, 'content-length')).toBe('5')
    const head = pages.reply('HEAD', '/a', undefined, undefined)!
    expect(head.file).toBeUndefined()
    expect(header(head, 'content-length')).toBe('5')
    expect(pages.reply('GET', '/__pareto/data/a', undefined, undefined)!.file).toBe('__pareto/data/a/index.frames')
  })

  it('picks the precompressed copy the client accepts, each with its own ETag', () => {
    const br = pages.reply('GET', '/a', 'gzip, deflate, br', undefined)!
    expect([br.file, header(br, 'content-encoding'), header(br, 'etag')]).toEqual(['a/index.html.br', 'br', '"doc-br"'])
    const gz = pages.reply('GET', '/a', 'gzip, br;q=0', undefined)!
    expect([gz.file, header(gz, 'content-encoding')]).toEqual(['a/index.html.gz', 'gzip'])
    expect(pages.reply('GET', '/a', 'identity', undefined)!.file).toBe('a/index.html')
    expect(header(br, 'vary')).toBe('Accept-Encoding')
  })

  it('answers 304 for a matching If-None-Match (weak or in a list), not for another tag', () => {
    expect(pages.reply('GET', '/a', undefined, '"doc"')).toEqual(expect.objectContaining({ status: 304 }))
    expect(pages.reply('GET', '/a', undefined, '"x", W/"doc"')!.status).toBe(304)
    expect(pages.reply('GET', '/a', 'br', '"doc"')!.status).toBe(200)
    expect(pages.reply('GET', '/a', undefined, '"other"')!.status).toBe(200)
  })

  it('replays a recorded redirect with its Location and no body', () => {
    const r = pages.reply('GET', '/old', undefined, undefined)!
    expect(r.status).toBe(308)
    expect(header(r, 'location')).toBe('/a')
    expect(r.file).toBeUndefined()
  })

  it('reads a body file once and keeps it', async () => {
    const first = await pages.read('a/index.html')
    expect(first.toString()).toBe('hello')
    expect(Buffer.isBuffer(pages.read('a/index.html'))).toBe(true)
  })

  it('has no pages without a manifest', () => {
    expect(StaticPages.load(mkdtempSync(join(tmpdir(), 'pareto-none-')))).toBeUndefined()
  })
})
