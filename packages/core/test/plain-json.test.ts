import { describe, expect, it } from 'vitest'
import { isPlainJson } from '../src/shared/plain-json.js'
import { encodeFrames } from '../src/wire/encode.js'
import { decodeFrameBytes } from '../src/wire/decode-bytes.js'

describe('isPlainJson (the JSON fast path of the encoder)', () => {
  it('accepts what JSON carries exactly', () => {
    expect(isPlainJson({ a: [1, 'two', true, null, { b: 2.5 }], c: Object.create(null) })).toBe(true)
    expect(isPlainJson('x')).toBe(true)
    expect(isPlainJson([])).toBe(true)
  })

  it.each([
    ['undefined value', { a: undefined }],
    ['Date', { d: new Date() }],
    ['Map', new Map()],
    ['Set', [new Set()]],
    ['BigInt', { n: 1n }],
    ['NaN', [NaN]],
    ['Infinity', [Infinity]],
    ['-0', { z: -0 }],
    ['promise', { p: Promise.resolve(1) }],
    ['class instance', { u: new URL('https://x.test') }],
    ['function', { f: () => 1 }],
  ])('rejects %s', (_name, value) => {
    expect(isPlainJson(value)).toBe(false)
  })

  it('rejects shared objects and cycles (JSON would copy or fail)', () => {
    const shared = { s: 1 }
    expect(isPlainJson({ a: shared, b: shared })).toBe(false)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(isPlainJson(cyclic)).toBe(false)
  })

  it('finds a shared object however many objects come before it', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ i }))
    expect(isPlainJson(many)).toBe(true)
    expect(isPlainJson([...many, many[3]])).toBe(false)
    expect(isPlainJson([...many, many[499]])).toBe(false)
    // Nothing of one walk is remembered by the next.
    expect(isPlainJson(many)).toBe(true)
  })

  it('a walk started inside another (a getter) does not disturb it', () => {
    const inner = { x: 1 }
    const outer = {
      get a() {
        expect(isPlainJson({ y: inner })).toBe(true)
        return inner
      },
      b: inner,
    }
    expect(isPlainJson(outer)).toBe(false)
    expect(isPlainJson({ a: { x: 1 }, b: { x: 1 } })).toBe(true)
  })

  it('plain data is encoded as one JSON line and decodes to an equal value', async () => {
    const data = { items: [{ id: 1, name: 'a</script>' }], total: 1 }
    const frames = encodeFrames(data)
    expect(typeof frames).toBe('string')
    expect(frames).toBe(`J${JSON.stringify(data)}\n`)
    expect(await decodeFrameBytes(new Response(frames as string).body!)).toEqual(data)
  })

  it('anything else still streams through turbo-stream', () => {
    expect(typeof encodeFrames({ when: new Date(0) })).not.toBe('string')
  })
})
