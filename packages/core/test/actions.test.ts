import { createElement } from 'react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { notFound, redirect } from '../src/data/signals.js'
import type { LoaderContext } from '../src/data/types.js'
import { useActionData, useLoaderData } from '../src/render/hooks.js'
import { DATA_CONTENT_TYPE, KEEP_HEADER, REVALIDATE_HEADER } from '../src/wire/protocol.js'
import { documentData, makeBuild, pageRoute, payloadOf, serve } from './mutation-helpers.js'

// Page actions through the whole request handler: each outcome as a plain form post (a document) and as an
// enhanced submission to the navigation data endpoint (one response: the action's result and fresh loader data).

const calls = { layout: 0, page: 0, other: 0 }

/** A response with headers that must survive as they are: a custom one and two Set-Cookie lines. */
function teapot(body: string): Response {
  const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8', 'x-custom': 'kept' })
  headers.append('set-cookie', 'a=1; Path=/')
  headers.append('set-cookie', 'b=2; Path=/; HttpOnly')
  return new Response(body, { status: 418, headers })
}

const outcomes: Record<string, (ctx: LoaderContext) => unknown> = {
  data: (ctx) => ({ saved: (ctx.req.body as { title: string }).title }),
  invalid: (ctx) => {
    ctx.res.status(422)
    return { error: 'title is required' }
  },
  redirect: () => redirect('/done'),
  redirect307: () => redirect('/done', 307),
  returned: () => teapot('returned body'),
  thrown: () => {
    throw teapot('thrown body')
  },
  'response-redirect': () => new Response(null, { status: 302, headers: { location: '/elsewhere' } }),
  'response-404': () => new Response('gone', { status: 404 }),
  'not-found': () => notFound(),
  failed: (ctx) => {
    ctx.res.status(503)
    return { error: 'try later' }
  },
  'sign-in': (ctx) => {
    ctx.res.cookie('session', 's1', { httpOnly: true })
    redirect('/account')
  },
  'sign-in-response': () => {
    const headers = new Headers({ location: '/account' })
    headers.append('set-cookie', 'session=s2; Path=/; HttpOnly')
    headers.append('set-cookie', 'seen=1; Path=/')
    return new Response(null, { status: 303, headers })
  },
  boom: () => {
    throw new Error('database password is hunter2')
  },
}

function Layout({ children }: { children?: ReactNode }) {
  return createElement('div', { id: 'layout' }, createElement('i', null, JSON.stringify(useLoaderData())), children)
}

function FormPage() {
  return createElement(
    'main',
    null,
    createElement('p', { id: 'page' }, JSON.stringify(useLoaderData())),
    createElement('p', { id: 'action' }, JSON.stringify(useActionData() ?? null)),
  )
}

const build = makeBuild(
  [
    pageRoute('/form', 'form/page.tsx'),
    pageRoute('/other', 'other/page.tsx'),
    { ...pageRoute('/split', 'split/page.tsx'), loaderFile: 'split/loader.ts' },
  ],
  {
    'layout.tsx': {
      default: Layout,
      loader: () => ({ user: 'ann', layoutRun: ++calls.layout }),
    },
    'form/page.tsx': {
      default: FormPage,
      loader: () => ({ items: ['a'], pageRun: ++calls.page }),
      action: (ctx: LoaderContext) => outcomes[(ctx.req.body as { outcome: string }).outcome](ctx),
    },
    'other/page.tsx': {
      default: () => createElement('p', null, 'other'),
      loader: () => ({ otherRun: ++calls.other }),
    },
    'split/page.tsx': {
      default: FormPage,
      action: () => ({ from: 'page.tsx' }),
    },
    'split/loader.ts': {
      loader: () => ({ split: true }),
      action: (ctx: LoaderContext) => ({ from: 'loader.ts', method: ctx.req.method }),
    },
    'not-found.tsx': { default: () => createElement('p', { id: 'nf' }, 'nothing here') },
    'error.tsx': {
      default: ({ error }: { error: Error & { digest?: string } }) =>
        createElement('p', { id: 'err' }, `${error.message} [${error.digest ?? 'no digest'}]`),
    },
  },
)

let base = ''
let close: () => Promise<unknown>
const errors: unknown[][] = []
const consoleError = console.error
beforeAll(async () => {
  console.error = (...args: unknown[]) => void errors.push(args)
  ;({ url: base, close } = await serve(build))
})
afterAll(async () => {
  console.error = consoleError
  await close()
})
beforeEach(() => {
  calls.layout = calls.page = calls.other = 0
})

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** A plain HTML form post to /form, as a browser without JavaScript sends it. */
const documentPost = (outcome: string, path = '/form') =>
  fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...FORM, origin: base },
    body: new URLSearchParams({ outcome, title: 'milk' }),
  })

/** An enhanced submission to /form, as the router sends it (it keeps the layout's and the page's data). */
const enhancedPost = (outcome: string, keep = 'layout.tsx,form/page.tsx') =>
  fetch(base + '/__pareto/data/form', {
    method: 'POST',
    redirect: 'manual',
    headers: { ...FORM, origin: base, accept: DATA_CONTENT_TYPE, ...(keep ? { [KEEP_HEADER]: keep } : {}) },
    body: new URLSearchParams({ outcome, title: 'milk' }),
  })

const text = (html: string, id: string) =>
  new RegExp(`<p id="${id}">([^<]*)</p>`).exec(html)?.[1].replaceAll('&quot;', '"') ?? null

describe('a page action answering a plain form post (document)', () => {
  it('renders the page with the action data (useActionData and the frames) and every loader run after it', async () => {
    const r = await documentPost('data')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await r.text()
    expect(JSON.parse(text(html, 'action')!)).toEqual({ saved: 'milk' })
    expect(JSON.parse(text(html, 'page')!)).toEqual({ items: ['a'], pageRun: 1 })
    expect(await documentData(html)).toEqual({
      data: { 'layout.tsx': { user: 'ann', layoutRun: 1 }, 'form/page.tsx': { items: ['a'], pageRun: 1 } },
      action: { saved: 'milk' },
    })
    expect(calls).toEqual({ layout: 1, page: 1, other: 0 })
  })

  it('answers at the status the action set with ctx.res.status(422), with its data and fresh loader data', async () => {
    const r = await documentPost('invalid')
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(JSON.parse(text(html, 'action')!)).toEqual({ error: 'title is required' })
    expect((await documentData(html)).action).toEqual({ error: 'title is required' })
    // A document shows the whole page: its loaders run even after a refused action.
    expect(calls).toEqual({ layout: 1, page: 1, other: 0 })
  })

  it('a GET of the page has no action data', async () => {
    const r = await fetch(base + '/form')
    const html = await r.text()
    expect(text(html, 'action')).toBe('null')
    expect((await documentData(html)).action).toBeUndefined()
  })

  it('redirect() answers 303 (POST-redirect-GET) and runs no loader', async () => {
    const r = await documentPost('redirect')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/done')
    expect(await r.text()).toBe('')
    expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
  })

  it('redirect(url, 307) answers with the status given', async () => {
    const r = await documentPost('redirect307')
    expect(r.status).toBe(307)
    expect(r.headers.get('location')).toBe('/done')
  })

  it.each(['returned', 'thrown'])(
    'a %s web Response is sent as it is: status, headers, each Set-Cookie, body',
    async (outcome) => {
      const r = await documentPost(outcome)
      expect(r.status).toBe(418)
      expect(r.headers.get('x-custom')).toBe('kept')
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(r.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly'])
      expect(await r.text()).toBe(`${outcome} body`)
      expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
    },
  )

  it('notFound() renders the 404 page', async () => {
    const r = await documentPost('not-found')
    expect(r.status).toBe(404)
    const html = await r.text()
    expect(html).toContain('<p id="nf">nothing here</p>')
    expect(html).toContain('<div id="layout">')
  })

  it('a thrown error renders error.tsx with 500: a generic message and a digest in production, the real one logged', async () => {
    const before = errors.length
    const r = await documentPost('boom')
    expect(r.status).toBe(500)
    const html = await r.text()
    expect(html).not.toContain('hunter2')
    const shown = text(html, 'err')!
    const [, message, digest] = /^(.*) \[([0-9a-f]+)\]$/.exec(shown) ?? []
    expect(message).toBe('An error occurred on the server.')
    expect(digest).toMatch(/^[0-9a-f]{6,}$/)
    const logged = errors.slice(before).map((args) => args.map(String).join(' '))
    expect(logged.some((line) => line.includes(digest) && line.includes('hunter2'))).toBe(true)
    expect(logged.some((line) => line.includes('form/page.tsx'))).toBe(true)
  })
})

describe('a page action answering an enhanced submission (navigation data endpoint)', () => {
  it('answers with the action data and every loader re-run after a success, in one response', async () => {
    const r = await enhancedPost('data')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe(DATA_CONTENT_TYPE)
    expect(await payloadOf(r)).toEqual({
      route: { kind: 'page', id: '/form', params: {}, htmlAttrs: {}, status: 200 },
      data: { 'layout.tsx': { user: 'ann', layoutRun: 1 }, 'form/page.tsx': { items: ['a'], pageRun: 1 } },
      action: { saved: 'milk' },
    })
    // The router kept both files' data, yet a successful action re-runs every loader.
    expect(calls).toEqual({ layout: 1, page: 1, other: 0 })
  })

  it('an action answering 4xx re-runs no loader the router keeps: the status and the action data only', async () => {
    const r = await enhancedPost('invalid')
    const payload = await payloadOf(r)
    expect(payload.route).toEqual({ kind: 'page', id: '/form', params: {}, htmlAttrs: {}, status: 422 })
    expect(payload.action).toEqual({ error: 'title is required' })
    expect(payload.data ?? {}).toEqual({})
    expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
  })

  it('an action answering 4xx to a client that keeps nothing gets the loaders run (what the count above rules out)', async () => {
    const payload = await payloadOf(await enhancedPost('invalid', ''))
    expect(payload.route).toMatchObject({ kind: 'page', status: 422 })
    expect(Object.keys(payload.data ?? {})).toEqual(['layout.tsx', 'form/page.tsx'])
    expect(calls).toEqual({ layout: 1, page: 1, other: 0 })
  })

  it('an action answering 5xx with data re-runs no loader either', async () => {
    const payload = await payloadOf(await enhancedPost('failed'))
    expect(payload.route).toMatchObject({ kind: 'page', status: 503 })
    expect(payload.action).toEqual({ error: 'try later' })
    expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
  })

  // The not-found/error view after a refused enhanced submission keeps the root layout's data the router has.
  it.each(['not-found', 'boom'])(
    'an action ending in %s (404/500) re-runs no loader the router keeps',
    async (outcome) => {
      const { route } = await payloadOf(await enhancedPost(outcome))
      expect(route.kind).not.toBe('page')
      expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
    },
  )

  it('redirect() becomes a redirect for the router to follow, 303 by default, the given status otherwise', async () => {
    expect((await payloadOf(await enhancedPost('redirect'))).route).toEqual({
      kind: 'redirect',
      location: '/done',
      status: 303,
    })
    expect((await payloadOf(await enhancedPost('redirect307'))).route).toEqual({
      kind: 'redirect',
      location: '/done',
      status: 307,
    })
    expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
  })

  it('a web Response: a 3xx is followed, a 404 shows not-found, anything else the error page', async () => {
    expect((await payloadOf(await enhancedPost('response-redirect'))).route).toEqual({
      kind: 'redirect',
      location: '/elsewhere',
      status: 302,
    })
    expect((await payloadOf(await enhancedPost('response-404'))).route).toMatchObject({
      kind: 'not-found',
      status: 404,
    })
    for (const outcome of ['returned', 'thrown']) {
      const { route } = await payloadOf(await enhancedPost(outcome))
      expect(route).toMatchObject({ kind: 'error', status: 418 })
      // Production: no word of the Response's body.
      expect(JSON.stringify(route)).not.toContain('body')
    }
  })

  it('notFound() answers not-found', async () => {
    const { route } = await payloadOf(await enhancedPost('not-found'))
    expect(route).toMatchObject({ kind: 'not-found', status: 404 })
  })

  it('a thrown error answers the error view with 500, a generic message and a digest, no leak', async () => {
    const r = await enhancedPost('boom')
    const body = await r.clone().text()
    expect(body).not.toContain('hunter2')
    const { route } = await payloadOf(r)
    expect(route).toMatchObject({ kind: 'error', id: '/form', status: 500 })
    const error = (route as { error: { message: string; digest?: string } }).error
    expect(error.message).toBe('An error occurred on the server.')
    expect(error.digest).toMatch(/^[0-9a-f]{6,}$/)
  })
})

describe('x-pareto-keep on a GET navigation', () => {
  const navigate = (keep?: string) =>
    fetch(base + '/__pareto/data/form', { headers: keep ? { [KEEP_HEADER]: keep } : {} }).then(payloadOf)

  it("skips the kept layouts' loaders, never the page's own", async () => {
    const payload = await navigate('layout.tsx,form/page.tsx')
    expect(payload.data).toEqual({ 'form/page.tsx': { items: ['a'], pageRun: 1 } })
    expect(calls).toEqual({ layout: 0, page: 1, other: 0 })
  })

  it('without the header runs every loader', async () => {
    const payload = await navigate()
    expect(payload.data).toEqual({
      'layout.tsx': { user: 'ann', layoutRun: 1 },
      'form/page.tsx': { items: ['a'], pageRun: 1 },
    })
    expect(calls).toEqual({ layout: 1, page: 1, other: 0 })
  })

  it('a layout the header does not name runs', async () => {
    await navigate('form/page.tsx,blog/layout.tsx')
    expect(calls).toEqual({ layout: 1, page: 1, other: 0 })
  })
})

describe('cookies set by an action that redirects (signing in)', () => {
  it('ctx.res.cookie() then redirect(): 303 with the Set-Cookie, as a document and as an enhanced submission', async () => {
    const doc = await documentPost('sign-in')
    expect(doc.status).toBe(303)
    expect(doc.headers.get('location')).toBe('/account')
    expect(doc.headers.getSetCookie()).toEqual(['session=s1; Path=/; HttpOnly'])
    const nav = await enhancedPost('sign-in')
    expect(nav.headers.getSetCookie()).toEqual(['session=s1; Path=/; HttpOnly'])
    expect((await payloadOf(nav)).route).toEqual({ kind: 'redirect', location: '/account', status: 303 })
  })

  it('a returned 303 Response with Set-Cookie: a document gets it as it is', async () => {
    const doc = await documentPost('sign-in-response')
    expect(doc.status).toBe(303)
    expect(doc.headers.get('location')).toBe('/account')
    expect(doc.headers.getSetCookie()).toEqual(['session=s2; Path=/; HttpOnly', 'seen=1; Path=/'])
  })

  // The router follows the redirect frame; the cookies a Response carries still reach the browser.
  it('a returned 303 Response with Set-Cookie: an enhanced submission keeps its cookies while the router follows it', async () => {
    const nav = await enhancedPost('sign-in-response')
    expect((await payloadOf(nav)).route).toEqual({ kind: 'redirect', location: '/account', status: 303 })
    expect(nav.headers.getSetCookie()).toEqual(['session=s2; Path=/; HttpOnly', 'seen=1; Path=/'])
  })
})

describe('where the action lives, and a submission that asks for no revalidation', () => {
  it("a route's loader.ts action runs (before page.tsx's), its data beside the page's loader data", async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await fetch(base + '/split', { method, headers: FORM, body: 'a=1' })
      expect(r.status, method).toBe(200)
      expect(await documentData(await r.text()), method).toEqual({
        data: { 'layout.tsx': expect.any(Object), 'split/page.tsx': { split: true } },
        action: { from: 'loader.ts', method },
      })
    }
  })

  it('x-pareto-revalidate: 0 answers the action only: no loader runs', async () => {
    const r = await fetch(base + '/__pareto/data/form', {
      method: 'POST',
      headers: { ...FORM, [REVALIDATE_HEADER]: '0' },
      body: new URLSearchParams({ outcome: 'data', title: 'tea' }),
    })
    const payload = await payloadOf(r)
    expect(payload.route).toMatchObject({ kind: 'page', status: 200 })
    expect(payload.action).toEqual({ saved: 'tea' })
    expect(payload.data).toBeUndefined()
    expect(calls).toEqual({ layout: 0, page: 0, other: 0 })
  })
})
