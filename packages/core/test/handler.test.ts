import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createElement } from 'react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRequestHandler } from '../src/server/handler.js'
import type { RouteModule, ServerBuild } from '../src/server/build-types.js'
import { resolveConfig } from '../src/config.js'
import { compareRoutes } from '../src/routes/segments.js'
import type { RouteEntry } from '../src/routes/types.js'
import { defer } from '../src/data/defer.js'
import { notFound, redirect } from '../src/data/signals.js'
import { decodeFrames } from '../src/wire/decode.js'
import { DATA_CONTENT_TYPE } from '../src/wire/protocol.js'
import type { NavigationPayload } from '../src/wire/protocol.js'

// The whole request handler on an in-memory build: no Vite, no browser, each request a few milliseconds.

const page = (id: string, file: string, segments: RouteEntry['segments'] = []): RouteEntry => ({
  id,
  kind: 'page',
  segments,
  file,
  layouts: ['layout.tsx'],
  heads: [],
})
const routes: RouteEntry[] = [
  page('/', 'page.tsx'),
  page('/moved', 'moved/page.tsx', [{ type: 'static', value: 'moved' }]),
  page('/gone', 'gone/page.tsx', [{ type: 'static', value: 'gone' }]),
  page('/boom', 'boom/page.tsx', [{ type: 'static', value: 'boom' }]),
  page('/slow', 'slow/page.tsx', [{ type: 'static', value: 'slow' }]),
  {
    id: '/api/items',
    kind: 'resource' as const,
    segments: [
      { type: 'static' as const, value: 'api' },
      { type: 'static' as const, value: 'items' },
    ],
    file: 'api/items/route.ts',
    layouts: [],
    heads: [],
  },
].sort(compareRoutes)

const Layout = ({ children }: { children?: ReactNode }) => createElement('div', { id: 'layout' }, children)
const modules: Record<string, RouteModule> = {
  'layout.tsx': { default: Layout },
  'page.tsx': { default: () => createElement('h1', null, 'home'), loader: () => ({ n: 1 }) },
  'moved/page.tsx': { default: () => null, loader: () => redirect('/new-home', 301) },
  'gone/page.tsx': { default: () => null, loader: () => notFound() },
  'boom/page.tsx': {
    default: () => null,
    loader: () => {
      throw new Error('database password is hunter2')
    },
  },
  'slow/page.tsx': {
    default: () => createElement('p', null, 'slow'),
    loader: () => defer({ fast: 1, later: new Promise((r) => setTimeout(() => r('later'), 20)) }),
  },
  'not-found.tsx': { default: () => createElement('p', { id: 'nf' }, 'nothing here') },
  'error.tsx': { default: ({ error }: { error: Error }) => createElement('p', { id: 'err' }, error.message) },
  'api/items/route.ts': {
    loader: () => [{ id: 1 }],
    action: (ctx: never) => ({ got: (ctx as { req: { body: unknown } }).req.body }),
  },
}
const build: ServerBuild = {
  table: { routes, notFound: 'not-found.tsx', error: 'error.tsx', rootLayout: 'layout.tsx' },
  modules,
  config: resolveConfig({}),
}

let base = ''
const server = createServer(createRequestHandler({ build, bootstrapModules: ['/entry.js'] }))
const errors: unknown[][] = []
const consoleError = console.error
beforeAll(async () => {
  console.error = (...args: unknown[]) => void errors.push(args)
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  console.error = consoleError
  await new Promise((ok) => server.close(ok))
})

const get = (path: string, init?: RequestInit) => fetch(base + path, { redirect: 'manual', ...init })

describe('createRequestHandler on an in-memory build', () => {
  it('renders a page in its layout, with the client entry', async () => {
    const r = await get('/')
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('<div id="layout"><h1>home</h1></div>')
    expect(html).toContain('src="/entry.js"')
  })

  it('redirects with the status and Location the loader gave', async () => {
    const r = await get('/moved')
    expect(r.status).toBe(301)
    expect(r.headers.get('location')).toBe('/new-home')
  })

  it('answers notFound() and unmatched URLs with the 404 page', async () => {
    for (const path of ['/gone', '/no/such/page']) {
      const r = await get(path)
      expect(r.status).toBe(404)
      expect(await r.text()).toContain('<p id="nf">nothing here</p>')
    }
  })

  it('renders the error page with status 500, a generic message in production, and logs the real one', async () => {
    const r = await get('/boom')
    expect(r.status).toBe(500)
    const html = await r.text()
    expect(html).toContain('An error occurred on the server.')
    expect(html).not.toContain('hunter2')
    expect(html).toContain('<div id="layout"><p id="err">')
    expect(errors.some((args) => String(args[0]).includes('digest') && String(args[0]).includes('hunter2'))).toBe(true)
  })

  it('answers 405 with Allow for a method a page does not take', async () => {
    const r = await get('/', { method: 'POST' })
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('streams the navigation payload: the route first, deferred values as they settle', async () => {
    const r = await get('/__pareto/data/slow?x=1', { headers: { accept: DATA_CONTENT_TYPE } })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe(DATA_CONTENT_TYPE)
    const payload = await decodeFrames<NavigationPayload>(r.body!.pipeThrough(new TextDecoderStream()))
    expect(payload.route).toMatchObject({ kind: 'page', id: '/slow', status: 200 })
    const data = payload.data as { fast: number; later: Promise<string> }
    expect(data.fast).toBe(1)
    await expect(data.later).resolves.toBe('later')
  })

  it('navigation to a redirecting page says where to go instead of following it', async () => {
    const r = await get('/__pareto/data/moved')
    const payload = await decodeFrames<NavigationPayload>(r.body!.pipeThrough(new TextDecoderStream()))
    expect(payload.route).toEqual({ kind: 'redirect', location: '/new-home', status: 301 })
  })

  it('serves a resource route: GET runs the loader, POST the action with the parsed body, as JSON', async () => {
    const list = await get('/api/items')
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual([{ id: 1 }])
    const posted = await get('/api/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })
    expect(await posted.json()).toEqual({ got: { a: 1 } })
    const bad = await get('/api/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    })
    expect(bad.status).toBe(400)
  })
})
