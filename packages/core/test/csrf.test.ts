import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appOrigin, crossSiteProblem } from '../src/server/csrf.js'
import type { OriginInput, OriginPolicy } from '../src/server/csrf.js'
import type { LoaderContext } from '../src/data/types.js'
import { createElement } from 'react'
import type { ReactNode } from 'react'
import { makeBuild, pageRoute, resourceRoute, serve } from './mutation-helpers.js'
import type { ParetoConfig } from '../src/config.js'

// The CSRF origin check: first as a function of method, headers and config, then through the request handler
// for a page's action, an enhanced submission and a route.ts action.

const input = (method: string, headers: Record<string, string>, secure = false): OriginInput => ({
  method,
  header: (name) => headers[name],
  secure,
})
const policy: OriginPolicy = { trustProxy: false, allowedOrigins: [] }
const FORM = 'application/x-www-form-urlencoded'
const HOST = 'app.test:3000'

describe('crossSiteProblem', () => {
  const check = (headers: Record<string, string>, p: OriginPolicy = policy, method = 'POST') =>
    crossSiteProblem(input(method, { host: HOST, ...headers }), p, `${method} /todos`)

  it('passes a form post from the same origin (scheme and host, case-insensitive)', () => {
    expect(check({ 'content-type': FORM, origin: 'http://app.test:3000' })).toBeNull()
    expect(check({ 'content-type': FORM, origin: 'HTTP://App.Test:3000' })).toBeNull()
  })

  it('refuses a cross-origin form post, naming the request, the origin, allowedOrigins and trustProxy', () => {
    const problem = check({ 'content-type': FORM, origin: 'https://evil.test' })
    expect(problem).toMatch(/^Forbidden: /)
    expect(problem).toContain('from https://evil.test to POST /todos')
    expect(problem).toContain('allowedOrigins in pareto.config.ts')
    expect(problem).toContain('trustProxy: true')
  })

  it('refuses another port or scheme of the same host: they are other origins', () => {
    expect(check({ 'content-type': FORM, origin: 'http://app.test:4000' })).not.toBeNull()
    expect(check({ 'content-type': FORM, origin: 'https://app.test:3000' })).not.toBeNull()
  })

  it.each([['multipart/form-data; boundary=x'], ['text/plain'], ['text/plain;charset=UTF-8']])(
    'refuses every body type a plain form can send cross-origin: %s',
    (type) => {
      expect(check({ 'content-type': type, origin: 'https://evil.test' })).not.toBeNull()
    },
  )

  it('refuses a cross-origin write with no Content-Type (a form can send an empty body)', () => {
    expect(check({ origin: 'https://evil.test' })).not.toBeNull()
  })

  it.each([['application/json'], ['application/json; charset=utf-8'], ['application/vnd.api+json']])(
    'passes a cross-origin %s body: browsers preflight it',
    (type) => {
      expect(check({ 'content-type': type, origin: 'https://evil.test' })).toBeNull()
    },
  )

  it('passes a write with no Origin (curl, a server), unless Sec-Fetch-Site says cross-site', () => {
    expect(check({ 'content-type': FORM })).toBeNull()
    expect(check({ 'content-type': FORM, 'sec-fetch-site': 'same-origin' })).toBeNull()
    expect(check({ 'content-type': FORM, 'sec-fetch-site': 'none' })).toBeNull()
    const problem = check({ 'content-type': FORM, 'sec-fetch-site': 'cross-site' })
    expect(problem).toContain('from another site (Sec-Fetch-Site: cross-site)')
  })

  it('refuses Origin: null (a sandboxed frame, a data: URL)', () => {
    expect(check({ 'content-type': FORM, origin: 'null' })).toContain('from null')
  })

  it.each(['GET', 'HEAD', 'OPTIONS'])('never checks %s', (method) => {
    expect(check({ 'content-type': FORM, origin: 'https://evil.test' }, policy, method)).toBeNull()
  })

  it.each(['PUT', 'PATCH', 'DELETE'])('checks %s as POST', (method) => {
    expect(check({ 'content-type': FORM, origin: 'https://evil.test' }, policy, method)).not.toBeNull()
  })

  it('with trustProxy, the origin is X-Forwarded-Proto and X-Forwarded-Host (their first values)', () => {
    const forwarded = {
      'content-type': FORM,
      origin: 'https://shop.example',
      'x-forwarded-proto': 'https, http',
      'x-forwarded-host': 'shop.example, internal:8080',
    }
    expect(check(forwarded, { ...policy, trustProxy: true })).toBeNull()
    expect(check(forwarded)).not.toBeNull()
    // And the request's own origin then stops counting.
    expect(check({ ...forwarded, origin: 'http://app.test:3000' }, { ...policy, trustProxy: true })).not.toBeNull()
  })

  it('appOrigin: scheme from TLS, host from Host; forwarded headers only with trustProxy', () => {
    const headers = { host: 'App.Test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'edge.test' }
    expect(appOrigin(input('POST', headers), false)).toBe('http://app.test')
    expect(appOrigin(input('POST', headers, true), false)).toBe('https://app.test')
    expect(appOrigin(input('POST', headers), true)).toBe('https://edge.test')
    expect(appOrigin(input('POST', { host: 'app.test', 'x-forwarded-proto': 'https' }), true)).toBe('https://app.test')
  })

  it('allowedOrigins admits a listed origin (case-insensitive), and only that one', () => {
    const p = { ...policy, allowedOrigins: ['https://Admin.Example'] }
    expect(check({ 'content-type': FORM, origin: 'https://admin.example' }, p)).toBeNull()
    expect(check({ 'content-type': FORM, origin: 'https://other.example' }, p)).not.toBeNull()
  })
})

describe('the origin check through the request handler', () => {
  const routes = [
    pageRoute('/todos', 'todos/page.tsx'),
    pageRoute('/read', 'read/page.tsx'),
    resourceRoute('/api/hook', 'api/hook/route.ts'),
  ]
  const modules = {
    'layout.tsx': { default: ({ children }: { children?: ReactNode }) => createElement('div', null, children) },
    'todos/page.tsx': {
      default: () => createElement('p', { id: 'page' }, 'todos'),
      action: (ctx: LoaderContext) => ({ got: ctx.req.body ?? null }),
    },
    'read/page.tsx': { default: () => createElement('p', null, 'read') },
    'api/hook/route.ts': {
      loader: () => ({ ok: 'get' }),
      action: (ctx: LoaderContext) => ({ got: ctx.req.body ?? null }),
    },
  }
  const servers: { url: string; close: () => Promise<unknown> }[] = []
  const start = async (config: ParetoConfig = {}) => {
    const s = await serve(makeBuild(routes, modules, config))
    servers.push(s)
    return s.url
  }
  let base = ''
  beforeAll(async () => {
    base = await start()
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  const post = (url: string, headers: Record<string, string>, body: string | FormData = 'title=milk') =>
    fetch(url, { method: 'POST', redirect: 'manual', headers, body })

  it('a same-origin form post to a page runs its action', async () => {
    const r = await post(base + '/todos', { 'content-type': FORM, origin: base })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('<p id="page">todos</p>')
  })

  it('a cross-origin form post to a page gets 403 in plain text saying how to allow it', async () => {
    const r = await post(base + '/todos', { 'content-type': FORM, origin: 'https://evil.test' })
    expect(r.status).toBe(403)
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const body = await r.text()
    expect(body).toContain('from https://evil.test to POST /todos')
    expect(body).toContain('allowedOrigins')
    expect(body).toContain('trustProxy')
  })

  it('a cross-origin enhanced submission (navigation data endpoint) gets 403 too', async () => {
    const r = await post(base + '/__pareto/data/todos', { 'content-type': FORM, origin: 'https://evil.test' })
    expect(r.status).toBe(403)
    expect(await r.text()).toContain('to POST /todos')
  })

  it('a cross-origin multipart upload gets 403', async () => {
    const form = new FormData()
    form.set('f', new File(['x'], 'x.txt'))
    const r = await post(base + '/todos', { origin: 'https://evil.test' }, form)
    expect(r.status).toBe(403)
  })

  it('a form post with no Origin passes; with Sec-Fetch-Site: cross-site it gets 403', async () => {
    expect((await post(base + '/todos', { 'content-type': FORM })).status).toBe(200)
    expect((await post(base + '/todos', { 'content-type': FORM, 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    const r = await post(base + '/todos', { 'content-type': FORM, 'sec-fetch-site': 'cross-site' })
    expect(r.status).toBe(403)
    expect(await r.text()).toContain('Sec-Fetch-Site: cross-site')
  })

  it('Origin: null gets 403', async () => {
    expect((await post(base + '/todos', { 'content-type': FORM, origin: 'null' })).status).toBe(403)
  })

  it('a cross-origin JSON body passes, to a page action and to route.ts', async () => {
    const json = { 'content-type': 'application/json', origin: 'https://evil.test' }
    const page = await post(base + '/todos', json, '{"a":1}')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<p id="page">todos</p>')
    const hook = await post(base + '/api/hook', json, '{"a":1}')
    expect(hook.status).toBe(200)
    expect(await hook.json()).toEqual({ got: { a: 1 } })
  })

  it('text/plain cross-origin gets 403, on a page and on route.ts', async () => {
    for (const path of ['/todos', '/api/hook']) {
      const r = await post(base + path, { 'content-type': 'text/plain', origin: 'https://evil.test' }, 'x')
      expect(r.status, path).toBe(403)
    }
  })

  it('applies to route.ts actions: cross-origin form post 403, same origin runs the action', async () => {
    const bad = await post(base + '/api/hook', { 'content-type': FORM, origin: 'https://evil.test' })
    expect(bad.status).toBe(403)
    expect(await bad.text()).toContain('to POST /api/hook')
    const good = await post(base + '/api/hook', { 'content-type': FORM, origin: base })
    expect(good.status).toBe(200)
    expect(await good.json()).toEqual({ got: { title: 'milk' } })
  })

  it.each(['PUT', 'PATCH', 'DELETE'])('checks %s to a page and to route.ts', async (method) => {
    for (const path of ['/todos', '/api/hook']) {
      const r = await fetch(base + path, {
        method,
        headers: { 'content-type': FORM, origin: 'https://evil.test' },
        body: 'a=1',
      })
      expect(r.status, `${method} ${path}`).toBe(403)
    }
  })

  it('never checks GET: a cross-origin GET of a page and of route.ts is answered', async () => {
    const headers = { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' }
    expect((await fetch(base + '/todos', { headers })).status).toBe(200)
    expect((await fetch(base + '/__pareto/data/todos', { headers })).status).toBe(200)
    expect((await fetch(base + '/api/hook', { headers })).status).toBe(200)
  })

  it('trustProxy: the forwarded origin passes; without trustProxy the same headers get 403', async () => {
    const trusting = await start({ trustProxy: true })
    const forwarded = {
      'content-type': FORM,
      origin: 'https://shop.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shop.example',
    }
    expect((await post(trusting + '/todos', forwarded)).status).toBe(200)
    expect((await post(trusting + '/api/hook', forwarded)).status).toBe(200)
    expect((await post(base + '/todos', forwarded)).status).toBe(403)
    expect((await post(base + '/api/hook', forwarded)).status).toBe(403)
  })

  it('allowedOrigins admits a listed origin and no other', async () => {
    const allowing = await start({ allowedOrigins: ['https://admin.example'] })
    expect((await post(allowing + '/todos', { 'content-type': FORM, origin: 'https://admin.example' })).status).toBe(
      200,
    )
    expect((await post(allowing + '/api/hook', { 'content-type': FORM, origin: 'https://admin.example' })).status).toBe(
      200,
    )
    expect((await post(allowing + '/todos', { 'content-type': FORM, origin: 'https://other.example' })).status).toBe(
      403,
    )
    expect((await post(base + '/todos', { 'content-type': FORM, origin: 'https://admin.example' })).status).toBe(403)
  })
})
