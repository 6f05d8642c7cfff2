// The pure parts of reading a request a client controls: its target, its query, its body's type.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { PassThrough, Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { bodyKind, HttpError, readBody } from '../src/node/body.js'
import { MAX_TARGET_LENGTH, originForm, parseQuery, targetProblem } from '../src/node/http.js'
import { jsonShape } from '../src/shared/plain-json.js'
import { encodeFrames } from '../src/wire/encode.js'
import { frameArgs } from '../src/wire/frame-script.js'

describe('parseQuery', () => {
  it("holds keys named after Object.prototype's members as plain strings, on an object without a prototype", () => {
    const q = parseQuery('?constructor=x&toString=y&__proto__=z&hasOwnProperty=1&valueOf=2')
    expect(Object.getPrototypeOf(q)).toBeNull()
    expect(q.constructor).toBe('x')
    expect(q.toString).toBe('y')
    expect(q.hasOwnProperty).toBe('1')
    expect(q.valueOf).toBe('2')
    expect(Object.hasOwn(q, '__proto__')).toBe(true)
    expect(q['__proto__']).toBe('z')
    expect(Object.keys(q)).toEqual(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
    expect(JSON.parse(JSON.stringify(q))).toEqual(
      Object.fromEntries([
        ['constructor', 'x'],
        ['toString', 'y'],
        ['__proto__', 'z'],
        ['hasOwnProperty', '1'],
        ['valueOf', '2'],
      ]),
    )
    expect(Object.keys(Object.prototype)).toEqual([])
  })

  it('makes an array of a repeated key, including a repeated prototype-named one', () => {
    const q = parseQuery('?a=1&a=2&constructor=x&constructor=y')
    expect(q.a).toEqual(['1', '2'])
    expect(q.constructor).toEqual(['x', 'y'])
    expect(parseQuery('')).toEqual({})
  })

  it('keeps a malformed percent-encoding as a string instead of throwing', () => {
    const q = parseQuery('?bad=%E0%A4%A&ok=1')
    expect(q.ok).toBe('1')
    expect(typeof q.bad).toBe('string')
  })
})

describe('originForm and targetProblem', () => {
  const req = (url: string) => ({ url }) as IncomingMessage

  it('turns an absolute-form target into its path and query', () => {
    expect(originForm('http://localhost/blog?x=1')).toBe('/blog?x=1')
    expect(originForm('https://example.com:8443/a/b')).toBe('/a/b')
    expect(originForm('http://localhost')).toBe('/')
    expect(originForm('http://localhost?x=1')).toBe('/?x=1')
    expect(originForm('/already/a/path')).toBe('/already/a/path')
    expect(originForm('*')).toBe('*')
  })

  it('rewrites req.url for an absolute-form target and accepts it', () => {
    const r = req('http://localhost/blog/x?y=1')
    expect(targetProblem(r)).toBeNull()
    expect(r.url).toBe('/blog/x?y=1')
  })

  it('answers 414 over the limit and 400 for a target that is not a path', () => {
    expect(targetProblem(req('/' + 'a'.repeat(MAX_TARGET_LENGTH - 1)))).toBeNull()
    const long = targetProblem(req('/' + 'a'.repeat(MAX_TARGET_LENGTH)))
    expect(long?.status).toBe(414)
    expect(long?.message).toMatch(/8193 bytes.*8192.*POST body/)
    expect(targetProblem(req('*'))).toEqual({
      status: 400,
      message: 'Bad Request: the request target must be a path starting with "/".',
    })
  })
})

describe('bodyKind and readBody for bodies Pareto does not parse', () => {
  it('reads JSON, forms and text, and leaves every other type raw', () => {
    expect(bodyKind('application/json; charset=utf-8')).toBe('json')
    expect(bodyKind('application/problem+json')).toBe('json')
    expect(bodyKind('application/x-www-form-urlencoded')).toBe('form')
    expect(bodyKind('text/plain')).toBe('text')
    expect(bodyKind(undefined)).toBe('text')
    expect(bodyKind('application/octet-stream')).toBe('raw')
    expect(bodyKind('multipart/form-data; boundary=x')).toBe('multipart')
    expect(bodyKind('image/png')).toBe('raw')
  })

  it('leaves a raw body in the stream for the action to read, and refuses one that declares more than the limit', async () => {
    const tooBig = Readable.from([Buffer.alloc(10)]) as unknown as IncomingMessage
    tooBig.headers = { 'content-type': 'application/octet-stream', 'content-length': String(2 * 1024 * 1024) }
    expect(((await readBody(tooBig).catch((e: unknown) => e)) as HttpError).status).toBe(413)
    const big = Buffer.alloc(1024 * 1024, 1)
    const req = Readable.from([big]) as unknown as IncomingMessage
    req.headers = { 'content-type': 'application/octet-stream', 'content-length': String(big.length) }
    expect(await readBody(req)).toBeUndefined()
    const chunks: Buffer[] = []
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c)
    expect(Buffer.concat(chunks).length).toBe(big.length)
  })

  it('turns a body cut off by the client into a 400, not a crash', async () => {
    const stream = new PassThrough()
    const req = stream as unknown as IncomingMessage
    req.headers = { 'content-type': 'application/json' } as IncomingHttpHeaders
    const reading = readBody(req)
    stream.write('{"a":')
    stream.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))
    const error = await reading.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(400)
    expect((error as HttpError).message).toMatch(/ended early: the client closed the connection/)
  })

  it('says what is wrong with malformed JSON', async () => {
    const req = Readable.from([Buffer.from('{"a":')]) as unknown as IncomingMessage
    req.headers = { 'content-type': 'application/json' }
    const error = (await readBody(req).catch((e: unknown) => e)) as HttpError
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/^Request body is not valid JSON \(.+\)\. Send a JSON document/)
  })
})

describe('an own "__proto__" key in loader data', () => {
  it('is not plain JSON: a script literal would read it as the prototype', () => {
    const q = parseQuery('?__proto__=z')
    expect(jsonShape({ q })).toBeNull()
    expect(jsonShape({ q: parseQuery('?constructor=x') })).not.toBeNull()
  })

  it('never reaches the document as a JSON literal', () => {
    // Not the `J` line inlined as a literal: turbo-stream's lines, which carry the key as data.
    expect(typeof encodeFrames({ q: parseQuery('?__proto__=z') })).not.toBe('string')
    expect(frameArgs(encodeFrames({ q: parseQuery('?constructor=x') }) as string)).toContain('"constructor":"x"')
  })
})
