import { createElement, Suspense } from 'react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defer } from '../src/data/defer.js'
import { notFound, redirect } from '../src/data/signals.js'
import type { LoaderContext } from '../src/data/types.js'
import { Await } from '../src/render/await.js'
import { useLoaderData } from '../src/render/hooks.js'
import { documentData, makeBuild, pageRoute, payloadOf, serve } from './mutation-helpers.js'

// Layout loaders beside the page's: all loaders of a page start together, each component reads its own route
// file's data, and the first redirect, not-found or error in route order acts for the whole page.

/** When each loader started and finished in the current test, by route file. */
const timings: Record<string, { start: number; end?: number }> = {}

const query = (ctx: LoaderContext) => ctx.req.query as Record<string, string | undefined>
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A loader that records its timing, waits `?slow=` ms, then answers `data` (or the outcome the query asks of its file). */
function timed(file: string, data: Record<string, unknown>) {
  return async (ctx: LoaderContext) => {
    const t = { start: performance.now() } as { start: number; end?: number }
    timings[file] = t
    const q = query(ctx)
    await sleep(Number(q.slow ?? 0))
    t.end = performance.now()
    const fail = q[file]
    if (fail === 'redirect') redirect(`/from-${file.replace(/\W/g, '-')}`)
    if (fail === 'not-found') notFound()
    if (fail === 'error') throw new Error(`secret failure in ${file}`)
    return data
  }
}

function RootLayout({ children }: { children?: ReactNode }) {
  const data = useLoaderData<{ user: string }>()
  return createElement('div', null, createElement('header', null, `root:${JSON.stringify(data ?? null)}`), children)
}

function BlogLayout({ children }: { children?: ReactNode }) {
  const data = useLoaderData<{ section: string }>()
  return createElement('section', null, createElement('nav', null, `blog:${JSON.stringify(data)}`), children)
}

function PostPage() {
  return createElement('article', null, `post:${JSON.stringify(useLoaderData())}`)
}

function SplitPage() {
  return createElement('article', null, `split:${JSON.stringify(useLoaderData())}`)
}

function DeferredLayout({ children }: { children?: ReactNode }) {
  const { now, later } = useLoaderData<{ now: string; later: Promise<string> }>()
  return createElement(
    'div',
    null,
    createElement('b', null, `now:${now}`),
    createElement(
      Suspense,
      { fallback: createElement('i', null, 'waiting') },
      createElement(Await, {
        resolve: later,
        children: (v: unknown) => createElement('u', null, `later:${String(v)}`),
      }),
    ),
    children,
  )
}

const build = makeBuild(
  [
    pageRoute('/blog/post', 'blog/post/page.tsx', ['layout.tsx', 'blog/layout.tsx']),
    { ...pageRoute('/split', 'split/page.tsx'), loaderFile: 'split/loader.ts' },
    pageRoute('/deferred', 'deferred/page.tsx', ['deferred/layout.tsx']),
  ],
  {
    'layout.tsx': { default: RootLayout, loader: timed('layout.tsx', { user: 'ann' }) },
    'blog/layout.tsx': { default: BlogLayout, loader: timed('blog/layout.tsx', { section: 'blog' }) },
    'blog/post/page.tsx': { default: PostPage, loader: timed('blog/post/page.tsx', { title: 'hello' }) },
    'split/page.tsx': { default: SplitPage },
    'split/loader.ts': { loader: timed('split/loader.ts', { from: 'loader.ts' }) },
    'deferred/layout.tsx': {
      default: DeferredLayout,
      loader: () => defer({ now: 'fast', later: sleep(30).then(() => 'slow') }),
    },
    'deferred/page.tsx': { default: () => createElement('p', null, 'deferred page'), loader: () => ({ p: 1 }) },
    'not-found.tsx': { default: () => createElement('p', { id: 'nf' }, 'nothing here') },
    'error.tsx': {
      default: ({ error }: { error: Error }) => createElement('p', { id: 'err' }, error.message),
    },
  },
)

let base = ''
let close: () => Promise<unknown>
const consoleError = console.error
const errors: unknown[][] = []
beforeAll(async () => {
  console.error = (...args: unknown[]) => void errors.push(args)
  ;({ url: base, close } = await serve(build))
})
afterAll(async () => {
  console.error = consoleError
  await close()
})
beforeEach(() => {
  for (const k of Object.keys(timings)) delete timings[k]
})

const get = (path: string) => fetch(base + path, { redirect: 'manual' })
const navigate = (path: string) => fetch(base + '/__pareto/data' + path).then(payloadOf)
const decoded = (html: string) => html.replaceAll('&quot;', '"')

/** Every loader started before any finished: they ran at once, not one after another. */
function expectOverlap(files: string[]): void {
  const runs = files.map((f) => timings[f])
  for (const [i, run] of runs.entries()) expect(run?.end, `${files[i]} finished`).toBeDefined()
  const lastStart = Math.max(...runs.map((r) => r.start))
  const firstEnd = Math.min(...runs.map((r) => r.end!))
  expect(lastStart).toBeLessThan(firstEnd)
}

describe('layout and page loaders', () => {
  it('start together: with two 200 ms loaders each starts before the other finishes (document)', async () => {
    const r = await get('/split?slow=200')
    expect(r.status).toBe(200)
    const html = decoded(await r.text())
    expectOverlap(['layout.tsx', 'split/loader.ts'])
    expect(html).toContain('<header>root:{"user":"ann"}</header>')
    expect(html).toContain('<article>split:{"from":"loader.ts"}</article>')
  })

  it('the overlap check fails for loaders run one after another (a positive control)', () => {
    timings['a'] = { start: 0, end: 200 }
    timings['b'] = { start: 200, end: 400 }
    expect(() => expectOverlap(['a', 'b'])).toThrow()
    timings['b'] = { start: 1, end: 201 }
    expectOverlap(['a', 'b'])
  })

  it('start together across nested layouts, on a document and on client navigation', async () => {
    const files = ['layout.tsx', 'blog/layout.tsx', 'blog/post/page.tsx']
    await (await get('/blog/post?slow=200')).text()
    expectOverlap(files)
    await navigate('/blog/post?slow=200')
    expectOverlap(files)
  })

  it("each component reads its own route file's data with useLoaderData()", async () => {
    const html = decoded(await (await get('/blog/post')).text())
    expect(html).toContain('<header>root:{"user":"ann"}</header>')
    expect(html).toContain('<nav>blog:{"section":"blog"}</nav>')
    expect(html).toContain('<article>post:{"title":"hello"}</article>')
  })

  it('the frames carry the data by route file; a loader.ts keys it under the page file', async () => {
    expect(await documentData(await (await get('/blog/post')).text())).toEqual({
      data: {
        'layout.tsx': { user: 'ann' },
        'blog/layout.tsx': { section: 'blog' },
        'blog/post/page.tsx': { title: 'hello' },
      },
    })
    expect((await navigate('/split')).data).toEqual({
      'layout.tsx': { user: 'ann' },
      'split/page.tsx': { from: 'loader.ts' },
    })
  })

  it("a layout's deferred value streams: plain values in the first HTML, the promise as it settles", async () => {
    const html = await (await get('/deferred')).text()
    expect(html).toContain('<b>now:fast</b>')
    expect(html).toContain('later:slow')
    const payload = await navigate('/deferred')
    const layout = payload.data!['deferred/layout.tsx'] as { now: string; later: Promise<string> }
    expect(layout.now).toBe('fast')
    await expect(layout.later).resolves.toBe('slow')
    expect(payload.data!['deferred/page.tsx']).toEqual({ p: 1 })
  })
})

describe('the first redirect, not-found or error acts for the whole page', () => {
  it("a redirect from the layout's loader wins for the whole page, even over the page's error", async () => {
    for (const path of ['/blog/post?layout.tsx=redirect', '/blog/post?layout.tsx=redirect&blog/post/page.tsx=error']) {
      const r = await get(path)
      expect(r.status, path).toBe(302)
      expect(r.headers.get('location'), path).toBe('/from-layout-tsx')
      expect(await r.text()).toBe('')
      expect((await navigate(path)).route).toEqual({ kind: 'redirect', location: '/from-layout-tsx', status: 302 })
    }
  })

  it('a redirect from a nested layout wins over the page data', async () => {
    const r = await get('/blog/post?blog/layout.tsx=redirect')
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe('/from-blog-layout-tsx')
  })

  it("notFound() from the page's loader renders not-found with the root layout's loader data", async () => {
    const r = await get('/blog/post?blog/post/page.tsx=not-found')
    expect(r.status).toBe(404)
    const html = decoded(await r.text())
    expect(html).toContain('<p id="nf">nothing here</p>')
    expect(html).toContain('<header>root:{"user":"ann"}</header>')
    expect((await documentData(html)).data).toMatchObject({ 'layout.tsx': { user: 'ann' } })
    const payload = await navigate('/blog/post?blog/post/page.tsx=not-found')
    expect(payload.route).toMatchObject({ kind: 'not-found', status: 404 })
    expect(payload.data).toMatchObject({ 'layout.tsx': { user: 'ann' } })
  })

  it("an unmatched URL renders not-found with the root layout's loader data", async () => {
    const r = await get('/no/such/page')
    expect(r.status).toBe(404)
    const html = decoded(await r.text())
    expect(html).toContain('<p id="nf">nothing here</p>')
    expect(html).toContain('<header>root:{"user":"ann"}</header>')
  })

  it('an error from a layout loader renders error.tsx with 500, its message kept from the browser', async () => {
    const r = await get('/blog/post?blog/layout.tsx=error')
    expect(r.status).toBe(500)
    const html = await r.text()
    expect(html).toContain('<p id="err">An error occurred on the server.</p>')
    expect(html).not.toContain('secret failure')
    const logged = errors.map((args) => args.map(String).join(' '))
    expect(logged.some((l) => l.includes('secret failure in blog/layout.tsx') && l.includes('blog/layout.tsx'))).toBe(
      true,
    )
    const { route } = await navigate('/blog/post?blog/layout.tsx=error')
    expect(route).toMatchObject({ kind: 'error', status: 500, error: { message: 'An error occurred on the server.' } })
  })
})
