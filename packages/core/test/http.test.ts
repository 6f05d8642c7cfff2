import { IncomingMessage, ServerResponse } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { Socket } from 'node:net'
import { Duplex, Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { HttpError, readBody } from '../src/node/body.js'
import { ensureExpressMembers } from '../src/node/http.js'

function fakeReq(chunks: (string | Buffer)[], headers: IncomingHttpHeaders): IncomingMessage {
  const req = Readable.from(
    chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)),
  ) as unknown as IncomingMessage
  req.headers = headers
  return req
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
}

describe('readBody', () => {
  it('parses JSON (also +json types and charset parameters)', async () => {
    expect(await readBody(fakeReq(['{"a":', '1,"b":[true]}'], { 'content-type': 'application/json' }))).toEqual({
      a: 1,
      b: [true],
    })
    expect(await readBody(fakeReq(['{"x":"é"}'], { 'content-type': 'Application/JSON; charset=utf-8' }))).toEqual({
      x: 'é',
    })
    expect(await readBody(fakeReq(['[1]'], { 'content-type': 'application/vnd.api+json' }))).toEqual([1])
  })

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('{"s":"日本"}')
    const req = fakeReq([bytes.subarray(0, 7), bytes.subarray(7)], { 'content-type': 'application/json' })
    expect(await readBody(req)).toEqual({ s: '日本' })
  })

  it('parses urlencoded forms', async () => {
    const body = await readBody(
      fakeReq(['name=Ada+Lovelace&city=Lon', 'don&e=%C3%A9'], { 'content-type': 'application/x-www-form-urlencoded' }),
    )
    expect(body).toEqual({ name: 'Ada Lovelace', city: 'London', e: 'é' })
  })

  it('returns text for other types and undefined for an empty body', async () => {
    expect(await readBody(fakeReq(['hello'], { 'content-type': 'text/plain' }))).toBe('hello')
    expect(await readBody(fakeReq(['hello'], {}))).toBe('hello')
    expect(await readBody(fakeReq([], { 'content-type': 'application/json' }))).toBeUndefined()
  })

  it('refuses a declared content-length over the limit with 413 before reading', async () => {
    const req = fakeReq(['x'], { 'content-length': '101', 'content-type': 'text/plain' })
    const e = await rejection(readBody(req, 100))
    expect(e).toBeInstanceOf(HttpError)
    expect((e as HttpError).status).toBe(413)
    expect((e as HttpError).expose).toBe(true)
    expect((e as HttpError).message).toContain('100')
  })

  it('refuses a streamed body over the limit with 413', async () => {
    const req = fakeReq(['a'.repeat(60), 'b'.repeat(60)], { 'content-type': 'text/plain' })
    const e = await rejection(readBody(req, 100))
    expect(e).toBeInstanceOf(HttpError)
    expect((e as HttpError).status).toBe(413)
  })

  it('refuses a body larger than it declared', async () => {
    const req = fakeReq(['a'.repeat(150)], { 'content-length': '10', 'content-type': 'text/plain' })
    expect(((await rejection(readBody(req, 100))) as HttpError).status).toBe(413)
  })

  it('accepts a body exactly at the limit', async () => {
    expect(
      await readBody(fakeReq(['a'.repeat(100)], { 'content-length': '100', 'content-type': 'text/plain' }), 100),
    ).toBe('a'.repeat(100))
  })

  it('malformed JSON is a 400 saying what to send', async () => {
    const e = await rejection(readBody(fakeReq(['{"a":'], { 'content-type': 'application/json' })))
    expect(e).toBeInstanceOf(HttpError)
    expect((e as HttpError).status).toBe(400)
    expect((e as HttpError).message).toMatch(/not valid JSON/)
    expect((e as HttpError).message).toMatch(/Content-Type: application\/json/)
  })
})

/** A socket that records what the response writes. */
function recordingSocket(): { socket: Socket; text: () => string } {
  const chunks: Buffer[] = []
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk))
      cb()
    },
  })
  return { socket: duplex as unknown as Socket, text: () => Buffer.concat(chunks).toString('utf8') }
}

function makeReq(url: string, headers: IncomingHttpHeaders = {}): IncomingMessage {
  const req = new IncomingMessage(new Socket())
  req.url = url
  req.method = 'GET'
  req.headers = headers
  return req
}

type Loose = Record<string, unknown>

describe('ensureExpressMembers', () => {
  it('adds query (repeated keys become arrays), cookies, path and originalUrl', () => {
    const req = makeReq('/search/x?q=a&tag=1&tag=2&tag=3&e=%C3%A9&empty=', { cookie: 'sid=abc; theme=dark%20mode' })
    const res = new ServerResponse(req)
    ensureExpressMembers(req, res)
    const r = req as unknown as Loose
    expect(r.query).toEqual({ q: 'a', tag: ['1', '2', '3'], e: 'é', empty: '' })
    expect(r.cookies).toEqual({ sid: 'abc', theme: 'dark mode' })
    expect(r.path).toBe('/search/x')
    expect(r.originalUrl).toBe('/search/x?q=a&tag=1&tag=2&tag=3&e=%C3%A9&empty=')
  })

  it('gives empty query and cookies when there are none', () => {
    const req = makeReq('/')
    ensureExpressMembers(req, new ServerResponse(req))
    const r = req as unknown as Loose
    expect(r.query).toEqual({})
    expect(r.cookies).toEqual({})
    expect(r.path).toBe('/')
  })

  it('parses once and then keeps the value, which stays writable', () => {
    const req = makeReq('/a?x=1')
    ensureExpressMembers(req, new ServerResponse(req))
    const r = req as unknown as Loose
    const q = r.query
    expect(r.query).toBe(q)
    r.query = { replaced: true }
    expect(r.query).toEqual({ replaced: true })
  })

  it('res.status(201).json({a:1}) writes status, content-type and body', () => {
    const req = makeReq('/api')
    const res = new ServerResponse(req)
    const { socket, text } = recordingSocket()
    res.assignSocket(socket)
    ensureExpressMembers(req, res)
    const r = res as unknown as { status(n: number): { json(b: unknown): void }; locals: unknown }
    expect(r.locals).toEqual({})
    r.status(201).json({ a: 1 })
    expect(res.statusCode).toBe(201)
    expect(res.getHeader('content-type')).toBe('application/json; charset=utf-8')
    expect(res.getHeader('content-length')).toBe(7)
    expect(res.writableEnded).toBe(true)
    const raw = text()
    expect(raw).toMatch(/^HTTP\/1\.1 201 /)
    expect(raw).toMatch(/content-type: application\/json; charset=utf-8/i)
    expect(raw.endsWith('\r\n\r\n{"a":1}')).toBe(true)
  })

  it('json() keeps a content-type already set', () => {
    const req = makeReq('/api')
    const res = new ServerResponse(req)
    res.assignSocket(recordingSocket().socket)
    ensureExpressMembers(req, res)
    res.setHeader('content-type', 'application/problem+json')
    ;(res as unknown as { json(b: unknown): void }).json({ title: 'x' })
    expect(res.getHeader('content-type')).toBe('application/problem+json')
  })

  it('does not overwrite members that already exist', () => {
    const req = makeReq('/real?x=1', { cookie: 'a=b' })
    const res = new ServerResponse(req)
    const query = { from: 'express' }
    const cookies = { mine: '1' }
    const status = () => 'own status'
    const json = () => 'own json'
    const locals = { user: 'u' }
    Object.assign(req, { query, cookies, path: '/own' })
    Object.assign(res, { status, json, locals })
    ensureExpressMembers(req, res)
    const r = req as unknown as Loose
    expect(r.query).toBe(query)
    expect(r.cookies).toBe(cookies)
    expect(r.path).toBe('/own')
    const s = res as unknown as Loose
    expect(s.status).toBe(status)
    expect(s.json).toBe(json)
    expect(s.locals).toBe(locals)
  })
})
