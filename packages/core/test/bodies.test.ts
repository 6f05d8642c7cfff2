import net from 'node:net'
import { createElement } from 'react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LoaderContext } from '../src/data/types.js'
import { DATA_CONTENT_TYPE } from '../src/wire/protocol.js'
import { documentData, makeBuild, pageRoute, payloadOf, resourceRoute, serve } from './mutation-helpers.js'

// Request bodies and the request/response helpers of an action, through the whole request handler: bodyLimit,
// multipart uploads, malformed bodies, ctx.request, ctx.req.body, cookies, req.get() and res.redirect().

type Described = Record<string, unknown>

/** FormData as plain JSON: strings as they are, files by name, type, size and contents. */
async function describeForm(form: FormData): Promise<Described> {
  const out: Described = {}
  for (const [key, value] of form) {
    out[key] =
      typeof value === 'string'
        ? value
        : {
            file: value instanceof File,
            name: value.name,
            type: value.type,
            size: value.size,
            text: await value.text(),
          }
  }
  return out
}

const actions: Record<string, (ctx: LoaderContext) => unknown> = {
  body: (ctx) => ({ body: ctx.req.body ?? null }),
  size: (ctx) => ({ size: String((ctx.req.body as { a?: string } | undefined)?.a?.length) }),
  form: async (ctx) => describeForm(await ctx.formData()),
  request: async (ctx) => {
    const request = ctx.request
    return {
      isRequest: request instanceof Request,
      same: ctx.request === request,
      method: request.method,
      url: request.url,
      type: request.headers.get('content-type'),
      custom: request.headers.get('x-test'),
      text: await request.text(),
    }
  },
  cookies: (ctx) => {
    ctx.res.cookie('session', 'abc 1', { maxAge: 3_600_000, httpOnly: true, sameSite: 'lax', secure: true })
    ctx.res.cookie('theme', 'dark', { path: '/app', domain: 'app.test' })
    ctx.res.clearCookie('old', { path: '/app', maxAge: 1000 })
    return { set: true }
  },
  get: (ctx) => ({
    custom: ctx.req.get('X-Test') ?? null,
    lower: ctx.req.get('x-test') ?? null,
    referrer: ctx.req.get('Referrer') ?? null,
    type: ctx.req.get('Content-Type') ?? null,
    missing: ctx.req.get('x-missing') ?? null,
  }),
  redirect: (ctx) => ctx.res.redirect('/there'),
  redirect301: (ctx) => ctx.res.redirect(301, '/moved'),
}
const act = (ctx: LoaderContext) => actions[(ctx.req.query as { do: string }).do](ctx)

function Layout({ children }: { children?: ReactNode }) {
  return createElement('div', { id: 'layout' }, children)
}

const routes = [pageRoute('/echo', 'echo/page.tsx'), resourceRoute('/api/echo', 'api/echo/route.ts')]
const modules = {
  'layout.tsx': { default: Layout },
  'echo/page.tsx': { default: () => createElement('p', null, 'echo'), action: act },
  'api/echo/route.ts': { action: act },
  'error.tsx': {
    default: ({ error }: { error: Error }) => createElement('p', { id: 'err' }, error.message),
  },
}

let base = ''
let small = ''
const LIMIT = 1000
const closers: (() => Promise<unknown>)[] = []
const errors: unknown[][] = []
const consoleError = console.error
beforeAll(async () => {
  console.error = (...args: unknown[]) => void errors.push(args)
  const a = await serve(makeBuild(routes, modules))
  const b = await serve(makeBuild(routes, modules, { bodyLimit: LIMIT }))
  closers.push(a.close, b.close)
  base = a.url
  small = b.url
})
afterAll(async () => {
  console.error = consoleError
  await Promise.all(closers.map((c) => c()))
})

const FORM = 'application/x-www-form-urlencoded'
const JSON_TYPE = 'application/json'

const post = (url: string, body: BodyInit, headers: Record<string, string> = {}, method = 'POST') =>
  fetch(url, { method, body, headers, redirect: 'manual' })

/** The action data of a document answer to a plain post. */
async function actionOf(r: Response): Promise<unknown> {
  expect(r.status).toBe(200)
  return (await documentData(await r.text())).action
}

const ERROR_TEXT = /<p id="err">([^<]*)<\/p>/

/** Writes a request on a raw connection and collects what the server sends until it closes the connection. */
function rawExchange(
  url: string,
  head: string,
  body: (socket: net.Socket) => void = () => {},
): Promise<{ text: string; closed: boolean }> {
  const { port } = new URL(url)
  return new Promise((resolve) => {
    let text = ''
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(head)
      body(socket)
    })
    // A hang is what this guards against: give up after 4.5 s and say the connection was left open.
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ text, closed: false })
    }, 4_500)
    socket.on('data', (d) => (text += d.toString('latin1')))
    // The server may close while we still write (EPIPE, ECONNRESET): the answer is what it sent before.
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ text, closed: true })
    })
  })
}

/**
 * Writes a chunked-encoded url-encoded body, 16 KiB a chunk: `total` bytes and the closing chunk, or with `total`
 * Infinity, chunks until the server closes the connection (a client that never stops).
 */
function streamChunks(socket: net.Socket, total: number): void {
  const chunk = 'a'.repeat(16 * 1024)
  let sent = 0
  // A bound for the endless sender, far past any drain the server may allow.
  const cap = Math.min(total, 256 * 1024 * 1024)
  const write = () => {
    if (socket.destroyed) return
    if (sent >= cap) return void (total === Infinity || socket.write('0\r\n\r\n'))
    sent += chunk.length
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`, () => setImmediate(write))
  }
  socket.write('2\r\na=\r\n', () => write())
}

const chunkedHead = (path: string) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${FORM}\r\nTransfer-Encoding: chunked\r\n\r\n`

/** What a refusal for size looks like on the wire: 413, Connection: close, the limit named, the connection closed. */
function expect413(got: { text: string; closed: boolean }, limit: number): void {
  expect(got.closed).toBe(true)
  expect(got.text).toMatch(/^HTTP\/1\.1 413 /)
  expect(got.text).toMatch(/\r\nconnection: close\r\n/i)
  expect(got.text).toContain(`larger than the ${limit}-byte limit`)
  expect(got.text).toContain('bodyLimit in pareto.config.ts')
}

const MB = 1024 * 1024
const WHERE = [
  ['a page action (document)', '/echo?do=size'],
  ['an enhanced submission', '/__pareto/data/echo?do=size'],
  ['a route.ts action', '/api/echo?do=size'],
] as const

describe('bodyLimit', () => {
  it.each(WHERE)('the default is 1 MB: a body of 1 MB passes (%s)', async (_where, path) => {
    const fits = await post(base + path, 'a=' + 'x'.repeat(MB - 2), { 'content-type': FORM })
    expect(fits.status).toBe(200)
    expect(await fits.text()).toContain(String(MB - 2))
  })

  it.each(WHERE)('a declared 1 MB + 1, sent in full, gets 413 with Connection: close (%s)', async (_where, path) => {
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${FORM}\r\nContent-Length: ${MB + 1}\r\n\r\n`
    const got = await rawExchange(base, head, (socket) => socket.write('a=' + 'x'.repeat(MB - 1)))
    expect413(got, MB)
    expect(got.text).toContain(`of ${MB + 1} bytes`)
  })

  it.each(WHERE)('a declared 1 GB gets 413 at once, before any of it is sent (%s)', async (_where, path) => {
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${FORM}\r\nContent-Length: ${1024 * MB}\r\n\r\n`
    const got = await rawExchange(base, head)
    expect413(got, MB)
    expect(got.text).toContain(`of ${1024 * MB} bytes`)
  })

  it.each(WHERE)('a streamed (chunked) body of 2 MB gets 413 and the connection closed (%s)', async (_where, path) => {
    expect413(await rawExchange(base, chunkedHead(path), (socket) => streamChunks(socket, 2 * MB)), MB)
  })

  it('a chunked body that never ends is cut: 413 and the connection closed, no hang', async () => {
    expect413(await rawExchange(base, chunkedHead('/echo?do=size'), (socket) => streamChunks(socket, Infinity)), MB)
  }, 30_000)

  it('a configured smaller limit: at the limit passes, one byte over gets 413 (page, enhanced, route.ts)', async () => {
    for (const [, path] of WHERE) {
      const fits = await post(small + path, 'a=' + 'x'.repeat(LIMIT - 2), { 'content-type': FORM })
      expect(fits.status, path).toBe(200)
      const over = await post(small + path, 'a=' + 'x'.repeat(LIMIT - 1), { 'content-type': FORM })
      expect(over.status, path).toBe(413)
      expect(over.headers.get('connection'), path).toBe('close')
      expect(await over.text(), path).toContain(`of ${LIMIT + 1} bytes is larger than the ${LIMIT}-byte limit`)
    }
  })

  it('a configured smaller limit, streamed: 413 with the connection closed', async () => {
    expect413(
      await rawExchange(small, chunkedHead('/echo?do=size'), (socket) => streamChunks(socket, 64 * 1024)),
      LIMIT,
    )
  })

  it('uploads count: a multipart body over the limit gets 413, and JSON too', async () => {
    const form = new FormData()
    form.set('file', new File(['x'.repeat(LIMIT)], 'big.bin', { type: 'application/octet-stream' }))
    const upload = await post(small + '/echo?do=form', form)
    expect(upload.status).toBe(413)
    const json = await post(small + '/echo?do=body', JSON.stringify({ a: 'x'.repeat(LIMIT) }), {
      'content-type': JSON_TYPE,
    })
    expect(json.status).toBe(413)
  })

  it('the server answers the next request after a refused body', async () => {
    const r = await post(small + '/echo?do=body', 'a=1', { 'content-type': FORM })
    expect(await actionOf(r)).toEqual({ body: { a: '1' } })
  })
})

describe('multipart uploads and ctx.formData()', () => {
  const upload = () => {
    const form = new FormData()
    form.set('title', 'report')
    form.set('file', new File(['hello, upload \u00e9'], 'notes.txt', { type: 'text/plain' }))
    return form
  }
  const expected = {
    title: 'report',
    file: { file: true, name: 'notes.txt', type: 'text/plain', size: 16, text: 'hello, upload \u00e9' },
  }

  it('a multipart upload reaches the action as a File with its name, type, size and contents', async () => {
    expect(await actionOf(await post(base + '/echo?do=form', upload()))).toEqual(expected)
  })

  it('the same through an enhanced submission and a route.ts action', async () => {
    const payload = await payloadOf(await post(base + '/__pareto/data/echo?do=form', upload()))
    expect(payload.action).toEqual(expected)
    const r = await post(base + '/api/echo?do=form', upload())
    expect(await r.json()).toEqual(expected)
  })

  it('a binary file keeps its bytes', async () => {
    const bytes = new Uint8Array(10 * 1024).map((_, i) => (i * 7) % 256)
    const form = new FormData()
    form.set('bin', new File([bytes], 'data.bin', { type: 'application/octet-stream' }))
    const r = await post(base + '/api/echo?do=form', form)
    const got = (await r.json()) as { bin: { size: number; type: string } }
    expect(got.bin).toMatchObject({ size: 10 * 1024, type: 'application/octet-stream', name: 'data.bin' })
  })

  it('ctx.formData() reads a url-encoded body too', async () => {
    expect(await actionOf(await post(base + '/echo?do=form', 'a=1&b=two+words', { 'content-type': FORM }))).toEqual({
      a: '1',
      b: 'two words',
    })
  })

  const MALFORMED = 'this is not a multipart body'

  it('a malformed multipart body: 400 naming the problem when the action calls ctx.formData()', async () => {
    const type = { 'content-type': 'multipart/form-data; boundary=----pareto' }
    const r = await post(base + '/echo?do=form', MALFORMED, type)
    expect(r.status).toBe(400)
    expect(ERROR_TEXT.exec(await r.text())?.[1]).toMatch(/^Malformed multipart\/form-data body: .*closing boundary\.$/)
    const api = await post(base + '/api/echo?do=form', MALFORMED, type)
    expect(api.status).toBe(400)
    expect(((await api.json()) as { error: string }).error).toMatch(/^Malformed multipart\/form-data body/)
    const { route } = await payloadOf(await post(base + '/__pareto/data/echo?do=form', MALFORMED, type))
    expect(route).toMatchObject({
      kind: 'error',
      status: 400,
      error: { message: expect.stringMatching(/^Malformed multipart/) },
    })
  })

  it('a multipart Content-Type without a boundary: 400 saying so', async () => {
    const r = await post(base + '/echo?do=form', MALFORMED, { 'content-type': 'multipart/form-data' })
    expect(r.status).toBe(400)
    expect(ERROR_TEXT.exec(await r.text())?.[1]).toBe(
      'Malformed multipart/form-data body: the Content-Type header has no boundary parameter.',
    )
  })

  it('a multipart body cut before its closing boundary: 400', async () => {
    const cut = '------pareto\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'
    const r = await post(base + '/echo?do=form', cut, { 'content-type': 'multipart/form-data; boundary=----pareto' })
    expect(r.status).toBe(400)
    expect(ERROR_TEXT.exec(await r.text())?.[1]).toMatch(/^Malformed multipart\/form-data body/)
  })

  it('a malformed multipart body the action does not read is no error', async () => {
    const r = await post(base + '/echo?do=body', MALFORMED, { 'content-type': 'multipart/form-data; boundary=x' })
    expect(await actionOf(r)).toEqual({ body: null })
  })

  it('ctx.formData() on a JSON body: 415 naming the Content-Type', async () => {
    const r = await post(base + '/echo?do=form', '{"a":1}', { 'content-type': JSON_TYPE })
    expect(r.status).toBe(415)
    expect(ERROR_TEXT.exec(await r.text())?.[1]).toBe(
      'ctx.formData() needs a form body (application/x-www-form-urlencoded or multipart/form-data); this request&#x27;s Content-Type is &quot;application/json&quot;.',
    )
    const api = await post(base + '/api/echo?do=form', '{"a":1}', { 'content-type': JSON_TYPE })
    expect(api.status).toBe(415)
  })
})

describe('ctx.request and ctx.req.body', () => {
  it('ctx.request is a Request with the method, absolute URL, headers and the body readable', async () => {
    const r = await post(base + '/echo?do=request', 'a=1&b=2', { 'content-type': FORM, 'x-test': 'yes' })
    expect(await actionOf(r)).toEqual({
      isRequest: true,
      same: true,
      method: 'POST',
      url: `${base}/echo?do=request`,
      type: FORM,
      custom: 'yes',
      text: 'a=1&b=2',
    })
  })

  it("on an enhanced submission ctx.request's URL is the page's, not the data endpoint's", async () => {
    const payload = await payloadOf(
      await post(base + '/__pareto/data/echo?do=request', 'x', {
        'content-type': 'text/plain',
        accept: DATA_CONTENT_TYPE,
      }),
    )
    expect(payload.action).toMatchObject({ url: `${base}/echo?do=request`, text: 'x' })
  })

  it('PUT and DELETE reach the action with their method; a JSON body reads from ctx.request', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await post(base + '/api/echo?do=request', '{"a":1}', { 'content-type': JSON_TYPE }, method)
      expect(await r.json()).toMatchObject({ method, text: '{"a":1}', type: JSON_TYPE })
    }
  })

  it('ctx.req.body: JSON parsed, url-encoded as an object, text as a string', async () => {
    expect(await actionOf(await post(base + '/echo?do=body', '{"a":[1,2]}', { 'content-type': JSON_TYPE }))).toEqual({
      body: { a: [1, 2] },
    })
    expect(await actionOf(await post(base + '/echo?do=body', 'a=1&b=x+y', { 'content-type': FORM }))).toEqual({
      body: { a: '1', b: 'x y' },
    })
    expect(await actionOf(await post(base + '/echo?do=body', 'hi', { 'content-type': 'text/plain' }))).toEqual({
      body: 'hi',
    })
  })

  it('an invalid JSON body gets 400 before the action runs', async () => {
    const r = await post(base + '/echo?do=body', '{oops', { 'content-type': JSON_TYPE })
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('Request body is not valid JSON')
  })
})

describe('ctx.res and ctx.req helpers without Express', () => {
  it('ctx.res.cookie(): several Set-Cookie lines, maxAge in ms as Max-Age seconds and Expires; clearCookie()', async () => {
    const before = Date.now()
    const r = await post(base + '/echo?do=cookies', 'a=1', { 'content-type': FORM })
    expect(r.status).toBe(200)
    const cookies = r.headers.getSetCookie()
    expect(cookies).toHaveLength(3)
    const [session, theme, old] = cookies
    expect(session).toMatch(/^session=abc%201; /)
    expect(session).toContain('; Max-Age=3600')
    expect(session).toContain('; Path=/')
    expect(session).toContain('; HttpOnly')
    expect(session).toContain('; Secure')
    expect(session).toContain('; SameSite=Lax')
    const expires = Date.parse(/; Expires=([^;]+)/.exec(session)![1])
    // Expires is an HTTP date (whole seconds): an hour from when the action ran.
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000)
    expect(theme).toBe('theme=dark; Domain=app.test; Path=/app')
    expect(old).toMatch(/^old=; Path=\/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT$/)
  })

  it('cookies set by an enhanced submission and a route.ts action come back too', async () => {
    for (const path of ['/__pareto/data/echo?do=cookies', '/api/echo?do=cookies']) {
      const r = await post(base + path, 'a=1', { 'content-type': FORM })
      expect(
        r.headers.getSetCookie().map((c) => c.split('=')[0]),
        path,
      ).toEqual(['session', 'theme', 'old'])
    }
  })

  it('ctx.req.get(): a header by name, case-insensitive, Referrer for Referer, undefined when absent', async () => {
    const r = await post(base + '/echo?do=get', 'a=1', {
      'content-type': FORM,
      'x-test': 'yes',
      referer: 'http://127.0.0.1/from',
    })
    expect(await actionOf(r)).toEqual({
      custom: 'yes',
      lower: 'yes',
      referrer: 'http://127.0.0.1/from',
      type: FORM,
      missing: null,
    })
  })

  it('ctx.res.redirect(url) answers 302, redirect(status, url) the status given, with nothing rendered', async () => {
    const r = await post(base + '/echo?do=redirect', 'a=1', { 'content-type': FORM })
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe('/there')
    expect(await r.text()).toBe('')
    const p = await post(base + '/echo?do=redirect301', 'a=1', { 'content-type': FORM })
    expect(p.status).toBe(301)
    expect(p.headers.get('location')).toBe('/moved')
    const api = await post(base + '/api/echo?do=redirect', 'a=1', { 'content-type': FORM })
    expect(api.status).toBe(302)
    expect(api.headers.get('location')).toBe('/there')
  })
})
