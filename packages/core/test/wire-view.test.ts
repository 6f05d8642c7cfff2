import { describe, expect, it } from 'vitest'
import { encodeFrames } from '../src/wire/encode.js'
import { decodeFrameBytes } from '../src/wire/decode.js'
import type { EncodedFrames } from '../src/wire/encode.js'

const bytes = (f: EncodedFrames) => (typeof f === 'string' ? new Response(f).body! : f)
const later = <T>(v: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(v), ms))

async function allText(f: EncodedFrames): Promise<string> {
  return typeof f === 'string' ? f : new Response(f).text()
}

describe('settled plain-JSON values travel as one JSON string', () => {
  it('a promise of plain JSON is sent boxed and decodes equal', async () => {
    const rows = [{ id: 1, tags: ['a'] }, { id: 2, tags: [] }]
    const text = await allText(encodeFrames({ rows: later(rows, 5) }))
    expect(text).toContain('pareto:json')
    const out = await decodeFrameBytes<{ rows: Promise<unknown> }>(bytes(encodeFrames({ rows: later(rows, 5) })))
    expect(await out.rows).toEqual(rows)
  })

  it('a value sharing an object with the first frame keeps its identity (turbo-stream references, not a box)', async () => {
    const shared = { id: 7 }
    const out = await decodeFrameBytes<{ now: { id: number }; later: Promise<{ again: { id: number } }> }>(
      bytes(encodeFrames({ now: shared, later: later({ again: shared }, 5) })),
    )
    expect((await out.later).again).toBe(out.now)
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
