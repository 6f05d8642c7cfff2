import { createServer } from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { createElement } from 'react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRequestHandler } from '../src/node/request-handler.js'
import type { RouteModule, ServerBuild } from '../src/server/build-types.js'
import { resolveConfig } from '../src/config.js'
import { compareRoutes } from '../src/routes/segments.js'
import type { RouteEntry } from '../src/routes/types.js'
import { defer } from '../src/data/defer.js'
import { notFound, redirect } from '../src/data/signals.js'
import { decodeFrames } from '../src/wire/decode.js'
import { DATA_CONTENT_TYPE } from '../src/wire/protocol.js'
import type { NavigationPayload } from '../src/wire/protocol.js'
import { serverClasses } from '../src/node/http.js'
import type { ViteManifest } from '../src/server/assets.js'
import type { LoaderContext } from '../src/data/types.js'

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
  page('/query', 'query/page.tsx', [{ type: 'static', value: 'query' }]),
  {
    id: '/api/raw',
    kind: 'resource' as const,
    segments: [
      { type: 'static' as const, value: 'api' },
      { type: 'static' as const, value: 'raw' },
    ],
    file: 'api/raw/route.ts',
    layouts: [],
    heads: [],
  },
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
  'query/page.tsx': {
    default: () => createElement('p', null, 'query'),
    loader: (ctx: never) => {
      const q = (ctx as LoaderContext).req.query as Record<string, unknown>
      return { q, constructor: q.constructor ?? null, prototype: Object.getPrototypeOf(q) === null ? 'null' : 'other' }
    },
  },
  'api/raw/route.ts': {
    action: async (ctx: never) => {
      const req = (ctx as LoaderContext).req
      const chunks: Buffer[] = []
      for await (const c of req as AsyncIterable<Buffer>) chunks.push(c)
      return { body: req.body ?? null, bytes: [...Buffer.concat(chunks)] }
    },
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
    const data = payload.data!['slow/page.tsx'] as { fast: number; later: Promise<string> }
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

/** Sends `text` on a fresh connection and resolves with every byte the server sent until it closed it. */
function exchange(baseUrl: string, text: string): Promise<string> {
  const { port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    let got = ''
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(text))
    socket.on('data', (d) => (got += d.toString('latin1')))
    socket.on('close', () => resolve(got))
    socket.on('error', reject)
  })
}

/** Listens with a handler (and optionally Pareto's own request classes); resolves with its base URL and a closer. */
async function listen(
  handler: ReturnType<typeof createRequestHandler>,
  own = false,
): Promise<{ url: string; close: () => Promise<unknown> }> {
  const s = own ? createServer(serverClasses(undefined), handler) : createServer(handler)
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok))
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise((ok) => s.close(ok)),
  }
}

const PROTO_QUERY = '?constructor=x&toString=y&__proto__=z&hasOwnProperty=1'

describe('bad input on an in-memory build', () => {
  it('OPTIONS on a page (or an unmatched URL): 204 with Allow', async () => {
    for (const path of ['/', '/no/such/page']) {
      const r = await get(path, { method: 'OPTIONS' })
      expect(r.status).toBe(204)
      expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    }
  })

  it('answers an absolute-form target as its path, and a target over 8 KiB with 414', async () => {
    const ok = await exchange(base, 'GET http://example.com/api/items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(ok).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(ok).toContain('[{"id":1}]')
    const long = await get('/?q=' + 'a'.repeat(9000))
    expect(long.status).toBe(414)
    expect(await long.text()).toMatch(/^URI Too Long: the request target is 9004 bytes/)
  })

  it('answers navigation data asked with ?path= instead of a path with 400 naming the parameter', async () => {
    const r = await get('/__pareto/data?path=/slow')
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('was given the query parameter "path" but no path')
    const two = await get('/__pareto/data?path=/slow&x=1')
    expect(await two.text()).toContain('the query parameters "path", "x"')
  })

  it.each([
    ['a plain Node server', false],
    ["Pareto's own request classes", true],
  ])('holds prototype-named query keys as plain data, on %s', async (_name, own) => {
    const s = await listen(createRequestHandler({ build, bootstrapModules: ['/entry.js'] }), own)
    try {
      const r = await fetch(s.url + '/__pareto/data/query' + PROTO_QUERY)
      const payload = await decodeFrames<NavigationPayload>(r.body!.pipeThrough(new TextDecoderStream()))
      const data = payload.data!['query/page.tsx'] as {
        q: Record<string, unknown>
        constructor: unknown
        prototype: string
      }
      expect(data.constructor).toBe('x')
      expect(data.prototype).toBe('null')
      expect(Object.hasOwn(data.q, '__proto__')).toBe(true)
      expect(data.q['__proto__']).toBe('z')
      expect(data.q.toString).toBe('y')
      expect(data.q.hasOwnProperty).toBe('1')
    } finally {
      await s.close()
    }
  })

  it('leaves a body of a type it does not parse to the action, as the request stream', async () => {
    const r = await get('/api/raw', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 1, 255]),
    })
    expect(await r.json()).toEqual({ body: null, bytes: [0, 1, 255] })
  })

  it('logs nothing when a client leaves mid-upload', async () => {
    const before = errors.length
    const { port } = new URL(base)
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n')
        socket.write('Content-Length: 100\r\n\r\n{"a":')
        setTimeout(() => socket.destroy(), 50)
      })
      socket.on('close', () => resolve())
    })
    await new Promise((r) => setTimeout(r, 100))
    expect(errors.slice(before)).toEqual([])
    expect((await get('/api/items')).status).toBe(200)
  })
})

describe('103 Early Hints', () => {
  // The client build's manifest as Vite writes it: the entry with the app's global CSS, a layout with its own.
  const manifest: ViteManifest = {
    'virtual:pareto/client-entry': { file: 'assets/entry.js', isEntry: true, css: ['assets/global.css'] },
    'app/layout.tsx': { file: 'assets/layout.js', css: ['assets/layout.css'], imports: ['_shared.js'] },
    'app/page.tsx': { file: 'assets/page.js', imports: ['_shared.js'] },
    '_shared.js': { file: 'assets/shared.js' },
  }
  const request = (line: string) => `${line}\r\nHost: x\r\nConnection: close\r\n\r\n`
  let on: Awaited<ReturnType<typeof listen>>
  let own: Awaited<ReturnType<typeof listen>>
  let off: Awaited<ReturnType<typeof listen>>
  beforeAll(async () => {
    // Opt-in: the default build sends none.
    const hinting: ServerBuild = { ...build, config: resolveConfig({ earlyHints: true }) }
    on = await listen(createRequestHandler({ build: hinting, manifest }))
    own = await listen(createRequestHandler({ build: hinting, manifest }), true)
    off = await listen(createRequestHandler({ build, manifest }))
  })
  afterAll(async () => {
    await Promise.all([on.close(), own.close(), off.close()])
  })

  it("sends the page's stylesheets, the entry and its chunks before the loader's answer", async () => {
    for (const s of [on, own]) {
      const got = await exchange(s.url, request('GET / HTTP/1.1'))
      expect(got).toMatch(/^HTTP\/1\.1 103 Early Hints\r\n/)
      const link = /^Link: (.*)$/m.exec(got)![1]
      expect(link.split(', ')).toEqual([
        '</assets/global.css>; rel=preload; as=style',
        '</assets/layout.css>; rel=preload; as=style',
        '</assets/entry.js>; rel=modulepreload',
        '</assets/layout.js>; rel=modulepreload',
        '</assets/shared.js>; rel=modulepreload',
        '</assets/page.js>; rel=modulepreload',
      ])
      expect(got.indexOf('HTTP/1.1 200 OK')).toBeGreaterThan(got.indexOf('103 Early Hints'))
    }
  })

  it('sends none to HTTP/1.0, for HEAD, navigation data, resource routes, unmatched URLs, or when turned off', async () => {
    for (const [s, line] of [
      [on, 'GET / HTTP/1.0'],
      [on, 'HEAD / HTTP/1.1'],
      [on, 'GET /__pareto/data/ HTTP/1.1'],
      [on, 'GET /api/items HTTP/1.1'],
      [on, 'GET /no/such/page HTTP/1.1'],
      [off, 'GET / HTTP/1.1'],
    ] as const) {
      const got = await exchange(s.url, request(line))
      expect(got, line).not.toContain('103 Early Hints')
      expect(got, line).toMatch(/^HTTP\/1\.1 [2-4]\d\d /)
    }
  })

  it('reads earlyHints from the config, defaulting to off, and rejects a non-boolean', () => {
    expect(resolveConfig({}).earlyHints).toBe(false)
    expect(resolveConfig({ earlyHints: true }).earlyHints).toBe(true)
    expect(resolveConfig({ earlyHints: false }).earlyHints).toBe(false)
    expect(() => resolveConfig({ earlyHints: 'no' as unknown as boolean })).toThrow(
      'pareto.config.ts: earlyHints must be true or false',
    )
  })
})
