import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeFrames, queueToStream } from '../src/wire/decode.js'
import { decodeFrameBytes } from '../src/wire/decode-bytes.js'
import { encodeFrames } from '../src/wire/encode.js'
import { byteStream, textStream } from './frames.js'
import { unhandledDuring } from './unhandled.js'
import { WireError } from '../src/wire/error.js'
import type { Frame, FrameQueue } from '../src/wire/global.js'

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return out
    out.push(value)
  }
}

const bytes = byteStream
const text = textStream

function fromChunks(chunks: string[]): ReadableStream<string> {
  return new ReadableStream<string>({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk)
      c.close()
    },
  })
}

async function roundTrip<T>(value: T): Promise<T> {
  return decodeFrames<T>(fromChunks(await collect(text(encodeFrames(value)))))
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'

/** Replaces every promise (at any depth, including inside what promises resolve to) by its value; keeps shared refs and cycles. */
async function deepAwait(value: unknown, seen = new Map<object, unknown>()): Promise<unknown> {
  if (isThenable(value)) return deepAwait(await value, seen)
  if (typeof value !== 'object' || value === null) return value
  if (seen.has(value)) return seen.get(value)
  if (Array.isArray(value)) {
    const out: unknown[] = []
    seen.set(value, out)
    for (const v of value) out.push(await deepAwait(v, seen))
    return out
  }
  if (value instanceof Map) {
    const out = new Map()
    seen.set(value, out)
    for (const [k, v] of value) out.set(await deepAwait(k, seen), await deepAwait(v, seen))
    return out
  }
  if (value instanceof Set) {
    const out = new Set()
    seen.set(value, out)
    for (const v of value) out.add(await deepAwait(v, seen))
    return out
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  seen.set(value, out)
  for (const k of Object.keys(value)) out[k] = await deepAwait((value as Record<string, unknown>)[k], seen)
  return out
}

describe('encodeFrames / decodeFrames', () => {
  it('round-trips plain JSON values', async () => {
    const v = { a: 1, b: 'two', c: [true, false, null], d: { e: [{ f: 'g' }] }, h: '' }
    expect(await roundTrip(v)).toEqual(v)
    expect(await roundTrip('just a string')).toBe('just a string')
    expect(await roundTrip(42)).toBe(42)
    expect(await roundTrip(null)).toBe(null)
  })

  it('round-trips Date, Map, Set, BigInt, URL, RegExp', async () => {
    const v = {
      date: new Date('2024-05-06T07:08:09.010Z'),
      map: new Map<unknown, unknown>([
        ['k', 1],
        [2, { x: 'y' }],
      ]),
      set: new Set([1, 'a', 3n]),
      big: 12345678901234567890n,
      negBig: -5n,
      url: new URL('https://example.com/a?b=c#d'),
      re: /ab+c/gi,
    }
    const out = await roundTrip(v)
    expect(out.date).toBeInstanceOf(Date)
    expect(out.date.toISOString()).toBe('2024-05-06T07:08:09.010Z')
    expect(out.map).toBeInstanceOf(Map)
    expect([...out.map]).toEqual([
      ['k', 1],
      [2, { x: 'y' }],
    ])
    expect(out.set).toBeInstanceOf(Set)
    expect([...out.set]).toEqual([1, 'a', 3n])
    expect(out.big).toBe(12345678901234567890n)
    expect(out.negBig).toBe(-5n)
    expect(out.url).toBeInstanceOf(URL)
    expect(out.url.href).toBe('https://example.com/a?b=c#d')
    expect(out.re).toBeInstanceOf(RegExp)
    expect(out.re.source).toBe('ab+c')
    expect(out.re.flags).toBe('gi')
  })

  it('round-trips undefined, NaN, ±Infinity and -0', async () => {
    const out = await roundTrip({ u: undefined, nan: NaN, inf: Infinity, ninf: -Infinity, nz: -0, arr: [undefined, 1] })
    expect('u' in out).toBe(true)
    expect(out.u).toBeUndefined()
    expect(out.nan).toBeNaN()
    expect(out.inf).toBe(Infinity)
    expect(out.ninf).toBe(-Infinity)
    expect(Object.is(out.nz, -0)).toBe(true)
    expect(out.arr).toEqual([undefined, 1])
    expect(await roundTrip(undefined)).toBeUndefined()
  })

  it('keeps an own "__proto__" key as a key, on plain and null-prototype objects, never as the prototype', async () => {
    const plain = Object.fromEntries([
      ['__proto__', 'z'],
      ['constructor', 'x'],
    ]) as Record<string, unknown>
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { toString: 'y' })
    Object.defineProperty(bare, '__proto__', {
      value: { deep: 1 },
      enumerable: true,
      writable: true,
      configurable: true,
    })
    const out = await roundTrip({ plain, bare, when: new Date(0) })
    expect(Object.hasOwn(out.plain, '__proto__')).toBe(true)
    expect(out.plain['__proto__']).toBe('z')
    expect(Object.getPrototypeOf(out.plain)).toBe(Object.prototype)
    expect(Object.hasOwn(out.bare, '__proto__')).toBe(true)
    expect(out.bare['__proto__']).toEqual({ deep: 1 })
    expect(out.bare.toString).toBe('y')
  })

  it('round-trips an Error with name and message', async () => {
    const e = new TypeError('bad thing')
    const out = await roundTrip({ e })
    expect(out.e).toBeInstanceOf(Error)
    expect(out.e.name).toBe('TypeError')
    expect(out.e.message).toBe('bad thing')
  })

  it('keeps shared references shared', async () => {
    const shared = { n: 1 }
    const out = await roundTrip({ a: shared, b: shared, list: [shared] })
    expect(out.a).toEqual({ n: 1 })
    expect(out.a).toBe(out.b)
    expect(out.list[0]).toBe(out.a)
  })

  it('round-trips cycles', async () => {
    const a: Record<string, unknown> = { name: 'a' }
    a.self = a
    const arr: unknown[] = [1]
    arr.push(arr)
    const out = (await roundTrip({ a, arr })) as { a: Record<string, unknown>; arr: unknown[] }
    expect(out.a.name).toBe('a')
    expect(out.a.self).toBe(out.a)
    expect(out.arr[1]).toBe(out.arr)
  })

  it('round-trips a top-level promise and one nested in a resolved value', async () => {
    const v = {
      fast: 'now',
      slow: new Promise((r) =>
        setTimeout(() => r({ title: 'later', inner: new Promise((r2) => setTimeout(() => r2([1, 2]), 5)) }), 5),
      ),
    }
    const out = (await roundTrip(v)) as { fast: string; slow: Promise<{ title: string; inner: Promise<number[]> }> }
    expect(out.fast).toBe('now')
    expect(out.slow).toBeInstanceOf(Promise)
    const slow = await out.slow
    expect(slow.title).toBe('later')
    expect(slow.inner).toBeInstanceOf(Promise)
    expect(await slow.inner).toEqual([1, 2])
  })

  it('a top-level value that is itself a promise', async () => {
    // decode resolves to the promise's value: a top-level thenable is followed like any promise
    const out = await roundTrip(Promise.resolve({ ok: true }))
    expect(await deepAwait(out)).toEqual({ ok: true })
  })

  it('a WireError rejection decodes to a rejected Error with message and digest', async () => {
    const bad = Promise.reject(new WireError({ name: 'Error', message: 'm', digest: 'abc' }))
    const out = (await roundTrip({ bad })) as { bad: Promise<unknown> }
    expect(out.bad).toBeInstanceOf(Promise)
    const err = await out.bad.then(
      () => {
        throw new Error('expected a rejection')
      },
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toBe('m')
    expect((err as Error).name).toBe('Error')
    expect((err as Error & { digest?: string }).digest).toBe('abc')
  })

  it('a WireError rejection carries no stack unless one was sent', async () => {
    const out = (await roundTrip({
      a: Promise.reject(new WireError({ name: 'Error', message: 'x' })),
      b: Promise.reject(
        new WireError({ name: 'RangeError', message: 'y', stack: 'RangeError: y\n    at server.ts:1' }),
      ),
    })) as { a: Promise<unknown>; b: Promise<unknown> }
    const a = (await out.a.catch((e: unknown) => e)) as Error & { digest?: string }
    const b = (await out.b.catch((e: unknown) => e)) as Error
    expect(a.stack).toBe('')
    expect(a.digest).toBeUndefined()
    expect(b.name).toBe('RangeError')
    expect(b.stack).toContain('server.ts:1')
  })

  it('a rejection no one reads is not reported as unhandled', async () => {
    const unhandled = await unhandledDuring(
      () => roundTrip({ bad: Promise.reject(new WireError({ name: 'Error', message: 'unread' })) }),
      20,
    )
    expect(unhandled).toEqual([])
  })

  it('writes frames in settle order: R<i>: for a plain-JSON value, X<i>: for a rejection', async () => {
    let resolveA!: (v: unknown) => void
    let resolveB!: (v: unknown) => void
    let rejectC!: (v: unknown) => void
    const a = new Promise((r) => (resolveA = r))
    const b = new Promise((r) => (resolveB = r))
    const c = new Promise((_, r) => (rejectC = r))
    const framesP = collect(text(encodeFrames({ a, b, c })))
    await new Promise((r) => setTimeout(r, 1))
    resolveB('bee')
    await new Promise((r) => setTimeout(r, 5))
    rejectC(new WireError({ name: 'Error', message: 'sea' }))
    await new Promise((r) => setTimeout(r, 5))
    resolveA('ay')
    const frames = (await framesP).join('').split('\n').filter(Boolean)
    expect(frames).toEqual([
      // The first frame: the JSON with {} where each promise is, and the path of each (its index is its id).
      'D[{"a":{},"b":{},"c":{}},[["a"],["b"],["c"]]]',
      'R1:"bee"',
      'X2:{"name":"Error","message":"sea"}',
      'R0:"ay"',
    ])
    // and they decode
    const out = (await decodeFrames(fromChunks(frames.map((f) => f + '\n')))) as Record<string, Promise<unknown>>
    expect(await out.a).toBe('ay')
    expect(await out.b).toBe('bee')
    await expect(out.c).rejects.toThrow('sea')
  })

  it('decoded promises settle as their frames arrive, not at the end', async () => {
    let resolveSlow!: (v: unknown) => void
    const slow = new Promise((r) => (resolveSlow = r))
    const out = (await decodeFrameBytes(bytes(encodeFrames({ fast: Promise.resolve('f'), slow })))) as Record<
      string,
      Promise<unknown>
    >
    expect(await out.fast).toBe('f')
    let slowDone = false
    void out.slow.then(() => (slowDone = true))
    await new Promise((r) => setTimeout(r, 10))
    expect(slowDone).toBe(false)
    resolveSlow('s')
    expect(await out.slow).toBe('s')
  })
})

// Regression: turbo-stream 3.2.1's decoder lost every frame after a promise that resolved to an empty
// array/Map/Set (`defer({ comments: db.comments() /* [] */, reviews: slow() })` lost `reviews`); found by the
// property test below, it is why Pareto uses turbo-stream 2.
describe('deferred empty collections followed by another frame', () => {
  const later = (v: unknown, ms: number) => new Promise((r) => setTimeout(() => r(v), ms))
  it.each([
    ['[]', () => []],
    ['Map', () => new Map()],
    ['Set', () => new Set()],
    ['[[]]', () => [[]]],
  ])('a promise resolving to %s, then another promise', async (_name, empty) => {
    const out = (await decodeFrameBytes(
      bytes(encodeFrames({ first: later(empty(), 1), second: later('after', 15) })),
    )) as Record<string, Promise<unknown>>
    expect(await out.first).toEqual(empty())
    expect(await out.second).toBe('after')
  })

  it('the same values work when the empty one settles last', async () => {
    const out = (await decodeFrameBytes(
      bytes(encodeFrames({ first: later('before', 1), second: later([], 15) })),
    )) as Record<string, Promise<unknown>>
    expect(await out.first).toBe('before')
    expect(await out.second).toEqual([])
  })

  it('an empty collection in the first frame is fine', async () => {
    const out = (await decodeFrameBytes(
      bytes(encodeFrames({ a: [], m: new Map(), s: new Set(), p: later('x', 1) })),
    )) as Record<string, unknown>
    expect(out.a).toEqual([])
    expect(out.m).toEqual(new Map())
    expect(out.s).toEqual(new Set())
    expect(await out.p).toBe('x')
  })
})

describe('queueToStream', () => {
  it('reads frames queued before and pushed after creating the stream, and closes on null', async () => {
    const queue = ['a', 'b'] as (string | null)[] & { push(...frames: (string | null)[]): unknown }
    const stream = queueToStream(queue)
    queue.push('c', 'd')
    setTimeout(() => {
      queue.push('e')
      queue.push(null)
      queue.push('after-close')
    }, 5)
    expect(await collect(stream)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('closes immediately when null was already queued', async () => {
    const queue = ['x', null, 'y'] as (string | null)[] & { push(...frames: (string | null)[]): unknown }
    expect(await collect(queueToStream(queue))).toEqual(['x'])
  })

  it('empties the queue so frames are not held twice', () => {
    const queue = ['x'] as (string | null)[] & { push(...frames: (string | null)[]): unknown }
    queueToStream(queue)
    expect(queue.length).toBe(0)
  })

  it('feeds decodeFrames from inline-script style pushes', async () => {
    let resolveP!: (v: unknown) => void
    const frames = text(encodeFrames({ now: 1, later: new Promise((r) => (resolveP = r)) }))
    const queue = [] as unknown as (string | null)[] & { push(...frames: (string | null)[]): unknown }
    const pump = (async () => {
      const reader = frames.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        queue.push(value)
      }
      queue.push(null)
    })()
    const data = (await decodeFrames(queueToStream(queue))) as { now: number; later: Promise<unknown> }
    expect(data.now).toBe(1)
    resolveP({ deep: new Date(5) })
    expect(await data.later).toEqual({ deep: new Date(5) })
    await pump
  })
})

// ---- property test -------------------------------------------------------

type Tree =
  | { t: 'leaf'; v: unknown }
  | { t: 'arr'; items: Tree[] }
  | { t: 'obj'; entries: [string, Tree][] }
  | { t: 'map'; entries: [string, Tree][] }
  | { t: 'set'; items: unknown[] }
  | { t: 'promise'; delay: number; inner: Tree }

const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: false }),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
)
const key = fc.string({ maxLength: 6 })

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((v): Tree => ({ t: 'leaf', v })),
    fc.array(tie('tree'), { maxLength: 4 }).map((items): Tree => ({ t: 'arr', items })),
    fc
      .uniqueArray(fc.tuple(key, tie('tree')), { maxLength: 4, selector: ([k]) => k })
      .map((entries): Tree => ({ t: 'obj', entries })),
    fc
      .uniqueArray(fc.tuple(key, tie('tree')), { maxLength: 3, selector: ([k]) => k })
      .map((entries): Tree => ({ t: 'map', entries })),
    fc.uniqueArray(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }).map((items): Tree => ({ t: 'set', items })),
    fc
      .record({ delay: fc.integer({ min: 0, max: 8 }), inner: tie('tree') })
      .map(({ delay, inner }): Tree => ({ t: 'promise', delay, inner })),
  ),
}))

function objectFrom(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  return o
}

/** The value with real promises that resolve after their delay. */
function build(t: Tree): unknown {
  switch (t.t) {
    case 'leaf':
      return t.v
    case 'arr':
      return t.items.map(build)
    case 'obj':
      return objectFrom(t.entries.map(([k, v]) => [k, build(v)]))
    case 'map':
      return new Map(t.entries.map(([k, v]) => [k, build(v)]))
    case 'set':
      return new Set(t.items)
    case 'promise':
      return new Promise((r) => setTimeout(() => r(build(t.inner)), t.delay))
  }
}

describe('wire property', () => {
  it('decoded data equals the input after awaiting every promise', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const input = build(t)
        const decoded = await decodeFrameBytes(bytes(encodeFrames(input)))
        const [want, got] = await Promise.all([deepAwait(input), deepAwait(decoded)])
        expect(got).toEqual(want)
      }),
      { numRuns: 150 },
    )
  })

  it('the HTML path (frames as escaped inline scripts, run by the browser, queued, decoded) gives the same data', async () => {
    // In this realm, as in a browser: the scripts' parsed JSON must be ordinary objects of the page.
    const { runInThisContext } = await import('node:vm')
    const { frameArgs } = await import('../src/wire/frame-script.js')
    await fc.assert(
      fc.asyncProperty(tree, fc.string(), async (t, str) => {
        // A loader string full of markup must survive too.
        const input = { t: build(t), text: `</script><!--${str}\u2028` }
        const queue = [] as unknown as Frame[] & FrameQueue
        const stream = queueToStream(queue)
        ;(globalThis as { __PARETO?: unknown }).__PARETO = { f: queue }
        const decodedP = decodeFrames(stream)
        // What the document writes: one script per frame, then the end marker; run as a browser would.
        const reader = text(encodeFrames(input)).getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          const script = `__PARETO.f.push(${frameArgs(value)})`
          expect(script).not.toMatch(/<\/script|<!--|[\u2028\u2029]/i)
          runInThisContext(script)
        }
        runInThisContext('__PARETO.f.push(null)')
        const [want, got] = await Promise.all([deepAwait(input), deepAwait(await decodedP)])
        expect(got).toEqual(want)
      }),
      { numRuns: 100 },
    )
  })

  it('a line as the document hands it over (head and body) becomes the same push arguments as its text', async () => {
    const { frameArgs, lineArgs } = await import('../src/wire/frame-script.js')
    const data = {
      now: 1,
      plain: Promise.resolve([{ a: '</script>' }]),
      rich: Promise.resolve({ at: new Date(0), m: new Map([['k', 1]]) }),
      bad: Promise.reject(new Error('no')),
    }
    const frames = encodeFrames(data)
    if (typeof frames === 'string') throw new Error('expected deferred frames')
    const lines: [string, string][] = await new Promise((resolve) => {
      const out: [string, string][] = []
      frames.listen(
        (head, body) => out.push([head, body]),
        () => resolve(out),
      )
    })
    expect(lines.map(([head]) => head[0])).toEqual(expect.arrayContaining(['D', 'R', 'T', 'X']))
    for (const [head, body] of lines) expect(lineArgs(head, body)).toBe(frameArgs(`${head}${body}\n`))
  })
})
