import { describe, expect, it } from 'vitest'
import { encodeFrames } from '../src/wire/encode.js'
import { decodeFrames } from '../src/wire/decode.js'
import { decodeFrameBytes } from '../src/wire/decode-bytes.js'
import { byteStream, readAll } from './frames.js'

const bytes = byteStream
const later = <T>(v: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(v), ms))

const allText = readAll

describe('settled plain-JSON values travel as one JSON string', () => {
  it('with a plain-JSON first frame, a promise of plain JSON is one R line and decodes equal', async () => {
    const rows = [
      { id: 1, tags: ['a'] },
      { id: 2, tags: [] },
    ]
    const text = await allText(encodeFrames({ rows: later(rows, 5) }))
    expect(text).toBe(`D[{"rows":{}},[["rows"]]]\nR0:${JSON.stringify(rows)}\n`)
    const out = await decodeFrameBytes<{ rows: Promise<unknown> }>(bytes(encodeFrames({ rows: later(rows, 5) })))
    expect(await out.rows).toEqual(rows)
  })

  it('on the turbo-stream form, a promise of plain JSON is sent boxed and decodes equal', async () => {
    const rows = [
      { id: 1, tags: ['a'] },
      { id: 2, tags: [] },
    ]
    const text = await allText(encodeFrames({ at: new Date(0), rows: later(rows, 5) }))
    expect(text).toContain('pareto:json')
    const out = await decodeFrameBytes<{ rows: Promise<unknown> }>(
      bytes(encodeFrames({ at: new Date(0), rows: later(rows, 5) })),
    )
    expect(await out.rows).toEqual(rows)
  })

  it('on the turbo-stream form, a value sharing an object with the first frame keeps its identity', async () => {
    const shared = { id: 7 }
    const out = await decodeFrameBytes<{ now: { id: number }; later: Promise<{ again: { id: number } }> }>(
      bytes(encodeFrames({ at: new Date(0), now: shared, later: later({ again: shared }, 5) })),
    )
    expect((await out.later).again).toBe(out.now)
  })

  it('on the JSON form, a value sharing an object with the first frame arrives as an equal copy', async () => {
    const shared = { id: 7 }
    const out = await decodeFrameBytes<{ now: { id: number }; later: Promise<{ again: { id: number } }> }>(
      bytes(encodeFrames({ now: shared, later: later({ again: shared }, 5) })),
    )
    expect((await out.later).again).toEqual(out.now)
  })

  it('a value JSON cannot carry, behind a JSON first frame, goes as T lines and keeps its types and inner promises', async () => {
    const text = await allText(encodeFrames({ p: later({ d: new Date(0), inner: later('deep', 5) }, 5) }))
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .slice(1)
        .every((line) => line.startsWith('T0:')),
    ).toBe(true)
    const out = await decodeFrameBytes<{ p: Promise<{ d: Date; inner: Promise<string> }> }>(
      bytes(encodeFrames({ p: later({ d: new Date(0), inner: later('deep', 5) }, 5) })),
    )
    const v = await out.p
    expect(v.d).toBeInstanceOf(Date)
    expect(await v.inner).toBe('deep')
  })

  it('a promise under an own key named __proto__ stays an own key, not the prototype', async () => {
    const data = { ['__proto__']: later('x', 1) } as Record<string, unknown>
    const out = await decodeFrameBytes<Record<string, Promise<unknown>>>(bytes(encodeFrames(data)))
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.keys(out)).toEqual(['__proto__'])
    expect(await out['__proto__']).toBe('x')
  })

  it('a stream cut before a promise settles rejects that promise instead of leaving it pending', async () => {
    const cut = new ReadableStream<string>({
      start(c) {
        c.enqueue('D[{"p":{}},[["p"]]]\n')
        c.close()
      },
    })
    const out = await decodeFrames<{ p: Promise<unknown> }>(cut)
    await expect(out.p).rejects.toThrow('ended before this value arrived')
  })

  it('two settled values that share an object decode equal (identity across boxes is not kept)', async () => {
    const user = { name: 'ada' }
    const out = await decodeFrameBytes<{ a: Promise<unknown>; b: Promise<unknown> }>(
      bytes(encodeFrames({ a: later({ user }, 5), b: later({ user }, 10) })),
    )
    expect(await out.a).toEqual({ user })
    expect(await out.b).toEqual({ user })
  })

  it('values JSON cannot carry still stream with their types', async () => {
    const out = await decodeFrameBytes<{ p: Promise<{ d: Date; m: Map<string, number> }> }>(
      bytes(encodeFrames({ p: later({ d: new Date(0), m: new Map([['k', 1]]) }, 5) })),
    )
    const v = await out.p
    expect(v.d).toBeInstanceOf(Date)
    expect(v.m.get('k')).toBe(1)
  })
})

describe('pages without loader data', () => {
  it('send one `J` line that decodes to undefined, with no turbo-stream', async () => {
    expect(encodeFrames(undefined)).toBe('J\n')
    expect(await decodeFrameBytes(bytes(encodeFrames(undefined)))).toBeUndefined()
    expect(
      await decodeFrames(new ReadableStream<string>({ start: (c) => (c.enqueue('J\n'), c.close()) })),
    ).toBeUndefined()
  })
})
