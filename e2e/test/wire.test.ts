import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { expectSeedStreams } from '../helpers/seed.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

let server: RunningServer
beforeAll(async () => {
  server = await startServer(FIXTURE, 'start')
})
afterAll(() => server?.stop())

// The fixture's table settles 300 ms after the loader runs, the chart 900 ms after.

describe.each<[string, Record<string, string>]>([
  ['identity', {}],
  ['gzip', { 'accept-encoding': 'gzip' }],
  ['brotli', { 'accept-encoding': 'br' }],
])('the seed page streams (%s)', (_name, headers) => {
  it('sends the shell before any deferred value settles, then each value after it settles, in order, then ends', async () => {
    const r = await fetchTimed(server.url + '/', headers)
    expect(r.status).toBe(200)
    if (headers['accept-encoding']) expect(r.headers['content-encoding']).toBe(headers['accept-encoding'])
    expect(r.headers['x-accel-buffering']).toBe('no')

    expectSeedStreams(r)
  })
})

describe('promises without defer()', () => {
  it('a nested promise in a plain loader object streams like a deferred one', async () => {
    const r = await fetchTimed(server.url + '/no-defer')
    const shell = arrivalOf(r, '<h1 id="no-defer">Without defer</h1>')
    const later = arrivalOf(r, '<p id="later">streamed anyway</p>')
    expect(shell).toBeLessThan(250)
    expect(later).toBeGreaterThanOrEqual(295)
  })
})

describe('status codes', () => {
  it('redirect() answers with its status and Location', async () => {
    const a = await request(server.url + '/redirect')
    expect(a.status).toBe(302)
    expect(a.headers.location).toBe('/blog/from-redirect')
    const b = await request(server.url + '/moved')
    expect(b.status).toBe(301)
    expect(b.headers.location).toBe('/')
  })

  it('notFound() and unmatched URLs render not-found inside the root layout with 404', async () => {
    for (const path of ['/missing', '/no/such/page']) {
      const r = await request(server.url + path)
      expect(r.status).toBe(404)
      expect(r.body).toContain('<h1 id="not-found">Nothing here</h1>')
      expect(r.body).toContain('id="root-layout"')
    }
  })

  it('a throwing loader renders error.tsx with 500 and does not leak the message in production', async () => {
    const r = await request(server.url + '/boom')
    expect(r.status).toBe(500)
    expect(r.body).toContain('Custom error page')
    expect(r.body).not.toContain('postgres://')
    const digest = /id="error-digest">([0-9a-f]+)</.exec(r.body)?.[1]
    expect(digest).toBeTruthy()
    await server.waitForOutput(`digest: ${digest}`)
  })

  it('resource routes answer JSON for GET and actions, honour status/headers, and return JSON errors', async () => {
    const get = await request(server.url + '/api/items?page=2')
    expect(get.status).toBe(200)
    expect(get.headers['content-type']).toMatch(/application\/json/)
    expect(get.headers['x-items']).toBe('yes')
    expect(JSON.parse(get.body)).toEqual({ items: [1, 2, 3], page: '2' })

    const post = await request(server.url + '/api/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })
    expect(post.status).toBe(201)
    expect(JSON.parse(post.body)).toEqual({ created: { a: 1 }, method: 'POST' })

    const fail = await request(server.url + '/api/fail')
    expect(fail.status).toBe(500)
    const body = JSON.parse(fail.body)
    expect(body.error).not.toContain('internal detail')
    expect(body.digest).toMatch(/^[0-9a-f]+$/)

    const put = await request(server.url + '/api/fail', { method: 'PUT' })
    expect(put.status).toBe(405)
    expect(JSON.parse(put.body).error).toContain('app/api/fail/route.ts')

    const bad = await request(server.url + '/api/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    })
    expect(bad.status).toBe(400)
  })

  it("a resource loader's ctx.signal aborts when the client leaves", async () => {
    const controller = new AbortController()
    const pending = fetch(server.url + '/api/wait', { signal: controller.signal }).catch(() => 'aborted')
    await new Promise((r) => setTimeout(r, 200))
    controller.abort()
    expect(await pending).toBe('aborted')
    await server.waitForOutput('[fixture] api wait aborted')
  })

  it('bad input gets a clear 4xx, not a crash', async () => {
    expect((await request(server.url + '/%E0%A4%A')).status).toBe(400)
    expect((await request(server.url + '/', { method: 'POST' })).status).toBe(405)
    expect((await request(server.url + '/')).status).toBe(200)
  })
})

describe('static files next to pages', () => {
  it('public files, their .html and index.html forms, and hashed assets are served; pages still render', async () => {
    const robots = await request(server.url + '/robots.txt')
    expect(robots.status).toBe(200)
    expect(robots.headers.etag).toBeTruthy()
    expect(
      (await request(server.url + '/robots.txt', { headers: { 'if-none-match': String(robots.headers.etag) } })).status,
    ).toBe(304)
    expect((await request(server.url + '/robots.txt?v=2')).status).toBe(200)
    for (const path of ['/guide', '/guide/', '/guide/index.html']) {
      const r = await request(server.url + path)
      expect(r.status, path).toBe(200)
      expect(r.body, path).toContain('static guide')
    }
    expect((await request(server.url + '/about')).body).toContain('static about')
    expect((await request(server.url + '/ab%6Fut.html')).body).toContain('static about')
    const page = await request(server.url + '/pricing')
    expect(page.status).toBe(200)
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1]
    expect(asset).toBeDefined()
    const js = await request(server.url + asset!)
    expect(js.status).toBe(200)
    expect(js.headers['cache-control']).toContain('immutable')
    expect(js.headers['content-type']).toContain('javascript')
  })
})

describe('routing conventions on the wire', () => {
  const cases: [string, string][] = [
    ['/blog/hello', '<h1 id="post">Post <!-- -->hello</h1>'],
    ['/docs/a/b', '<h1 id="docs">Docs <!-- -->a/b</h1>'],
    ['/opt', '<h1 id="opt">Opt <!-- -->(none)</h1>'],
    ['/opt/x/y', '<h1 id="opt">Opt <!-- -->x/y</h1>'],
    ['/pricing', '<h1 id="pricing">Pricing</h1>'],
    ['/loader-file', '<h1 id="from">loader.ts</h1>'],
  ]
  it.each(cases)('%s renders', async (path, html) => {
    const r = await request(server.url + path)
    expect(r.status).toBe(200)
    expect(r.body).toContain(html)
  })

  it('nested layouts and groups wrap the page', async () => {
    expect((await request(server.url + '/blog/x')).body).toMatch(
      /id="root-layout"[\s\S]*id="blog-layout"[\s\S]*id="post"/,
    )
    expect((await request(server.url + '/pricing')).body).toMatch(/id="marketing-layout"[\s\S]*id="pricing"/)
  })

  it('head.tsx is merged root to leaf: one title, the deepest wins', async () => {
    const r = await request(server.url + '/blog/hello')
    expect(r.body.match(/<title>/g)?.length).toBe(1)
    expect(r.body).toContain('<title>hello — Blog</title>')
    expect(r.body.match(/<meta name="description"/g)?.length).toBe(1)
    expect(r.body).toContain('<meta name="description" content="post hello"/>')
  })

  it('document.tsx sets <html> attributes per request', async () => {
    expect((await request(server.url + '/fr')).body).toContain('<html lang="fr" data-section="fr">')
    expect((await request(server.url + '/')).body).toContain('<html lang="en" data-section="home">')
  })

  it('wkWebViewFlushHint puts 250 invisible characters in the shell', async () => {
    const body = (await request(server.url + '/pricing')).body
    expect(body).toContain(
      `<div aria-hidden="true" style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)">${'\u200b'.repeat(250)}</div>`,
    )
  })

  it("the app's vite.config.ts is merged into the build", async () => {
    expect((await request(server.url + '/vite-config')).body).toContain('<p id="flag">from vite.config.ts</p>')
  })

  it("the app's own Express routes answer before Pareto's", async () => {
    const r = await request(server.url + '/app-health')
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toEqual({ ok: true })
  })

  it('loaders see cookies, query, path and method like Express', async () => {
    const r = await request(server.url + '/echo?page=3', { headers: { cookie: 'token=abc; other=1' } })
    const shown = JSON.parse(/<pre id="echo">([^<]*)<\/pre>/.exec(r.body)![1].replace(/&quot;/g, '"'))
    // The whole cookies object is plain data a loader may return as is.
    expect(shown).toEqual({
      cookies: { token: 'abc', other: '1' },
      token: 'abc',
      page: '3',
      path: '/echo',
      method: 'GET',
    })
  })
})

describe('embedded data is escaped', () => {
  it('no loader string can close the script or open a comment', async () => {
    const r = await fetchTimed(server.url + '/xss')
    // Only React's own markup may hold "</script>": every data script must contain no raw "<".
    const scripts = [...r.body.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1])
    const dataScripts = scripts.filter((s) => s.includes('__PARETO'))
    expect(dataScripts.length).toBeGreaterThan(1)
    for (const s of dataScripts) {
      expect(s).not.toContain('<')
      expect(s).not.toMatch(/[\u2028\u2029]/)
    }
    expect(r.body).not.toContain('<script>window.__xss=1</script>')
  })
})

describe('stream timeout', () => {
  it('a never-settling promise is cut after streamTimeout and the response ends', async () => {
    const r = await fetchTimed(server.url + '/never')
    expect(r.status).toBe(200)
    expect(r.end).toBeGreaterThanOrEqual(1400)
    expect(r.end).toBeLessThan(4000)
    expect(r.body).toContain('StreamTimeoutError')
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
  })
})

describe('client disconnects', () => {
  it('aborting mid-stream neither crashes the server nor logs an error', async () => {
    const before = server.output().length
    const http = await import('node:http')
    const aborted = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          new Promise<boolean>((resolve) => {
            const req = http.get(server.url + (i % 2 ? '/' : '/never'), (res) => {
              res.once('data', () => {
                req.destroy()
                resolve(true)
              })
            })
            req.on('error', () => resolve(true))
          }),
      ),
    )
    expect(aborted.every(Boolean)).toBe(true)
    // Long enough for every deferred value (and the stream timeout) to have fired on the server.
    await new Promise((r) => setTimeout(r, 1800))
    const r = await request(server.url + '/blog/after-aborts')
    expect(r.status).toBe(200)
    expect(server.output().slice(before)).toBe('')
  })
})

describe('server code stays on the server', () => {
  it("a page's loader is not in any client chunk", async () => {
    const { existsSync, readdirSync, readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const dir = join(FIXTURE, '.pareto/client/assets')
    const js = readdirSync(dir).filter((f) => f.endsWith('.js'))
    expect(js.length).toBeGreaterThan(3)
    // Strings that only loaders (app/boom, app/stream-error) and their helpers hold.
    const secrets = ['secret connection string', 'hunter2']
    for (const f of js) {
      const code = readFileSync(join(dir, f), 'utf8')
      for (const secret of secrets) expect(code).not.toContain(secret)
    }
    // Positive control: the same strings, as written, are in the server build, so a renamed or minified
    // string cannot make the check above pass for nothing.
    const serverDir = join(FIXTURE, '.pareto/server')
    const chunks = join(serverDir, 'chunks')
    const serverCode = [
      join(serverDir, 'entry.mjs'),
      ...(existsSync(chunks) ? readdirSync(chunks).map((f) => join(chunks, f)) : []),
    ]
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    for (const secret of secrets) expect(serverCode).toContain(secret)
  })
})

describe('fixes found by the docs review', () => {
  it('a component suspending on its own never-settling promise is still cut by the stream timeout', async () => {
    const r = await fetchTimed(server.url + '/own-suspense')
    expect(r.body).toContain('soon resolved')
    expect(r.end).toBeGreaterThanOrEqual(1400)
    expect(r.end).toBeLessThan(5000)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
  })

  it('a head.tsx viewport replaces the built-in one instead of adding a second', async () => {
    const r = await request(server.url + '/tall')
    expect(r.body.match(/<meta name="viewport"/g)?.length).toBe(1)
    expect(r.body).toContain('<meta name="viewport" content="width=1024"/>')
    expect(r.body.match(/<meta charSet="utf-8"\/>/g)?.length).toBe(1)
  })

  it('.env values: all readable by loaders, only PARETO_/VITE_ ones in the browser bundle', async () => {
    const r = await request(server.url + '/env')
    expect(r.body).toContain('<li id="server-env">server-only-secret</li>')
    expect(r.body).toContain('<li id="public-env">fixture-public</li>')
    expect(r.body).toContain('<li id="private-env">not exposed</li>')
    const { readdirSync, readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const dir = join(FIXTURE, '.pareto/client/assets')
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain('server-only-secret')
  })
})
