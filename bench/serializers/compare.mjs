#!/usr/bin/env node
// Compares serializers for Pareto's streamed loader-data frames: turbo-stream 2.4.1 (with Pareto's
// Map/Set plugins), turbo-stream 3.2.1, seroval (cross-JSON streaming), devalue (sync only) and a plain
// JSON baseline. Prints a Markdown report and writes RESULTS.md. See README.md.
//
//   node compare.mjs [--install-dir DIR] [--out FILE] [--runs N] [--warmup N] [--no-write]
//
// DIR is the folder whose node_modules hold the dependencies of ./package.json (default: this folder).

import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync, constants as zc } from 'node:zlib'
import { performance } from 'node:perf_hooks'
import os from 'node:os'
import { spawnSync } from 'node:child_process'

const HERE = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const INSTALL_DIR = resolve(opt('--install-dir', HERE))
const OUT = resolve(opt('--out', join(HERE, 'RESULTS.md')))
const RUNS = Number(opt('--runs', 50))
const WARMUP = Number(opt('--warmup', 15))
const WRITE = !args.includes('--no-write')

// ---------------------------------------------------------------------------------------------------
// Module loading from the install dir (ESM builds, as a browser bundle would get them)

const PKGS = { ts2: 'turbo-stream', ts3: 'turbo-stream3', seroval: 'seroval', devalue: 'devalue', esbuild: 'esbuild' }

function pkgDir(name) {
  return join(INSTALL_DIR, 'node_modules', name)
}
function pkgVersion(name) {
  return JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version
}
function esmEntry(name) {
  const pkg = JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8'))
  const pick = (e) => {
    if (typeof e === 'string') return e
    if (!e || typeof e !== 'object') return undefined
    for (const c of ['node', 'import', 'default']) if (c in e) { const r = pick(e[c]); if (r) return r }
    return undefined
  }
  const exp = pkg.exports && (typeof pkg.exports === 'string' ? pkg.exports : pkg.exports['.'] ?? pkg.exports)
  const rel = pick(exp) ?? pkg.module ?? pkg.main ?? 'index.js'
  return pathToFileURL(join(pkgDir(name), rel)).href
}

for (const name of Object.values(PKGS)) {
  if (!existsSync(join(pkgDir(name), 'package.json'))) {
    console.error(`Missing ${name} in ${INSTALL_DIR}/node_modules.\n` +
      `Install with: cd ${INSTALL_DIR} && npm install --no-workspaces --no-package-lock\n` +
      `(or pass --install-dir to a folder where ${join(HERE, 'package.json')} was installed)`)
    process.exit(1)
  }
}

const ts2 = await import(esmEntry(PKGS.ts2))
const ts3 = await import(esmEntry(PKGS.ts3))
const seroval = await import(esmEntry(PKGS.seroval))
const devalue = await import(esmEntry(PKGS.devalue))
const esbuild = createRequire(join(INSTALL_DIR, 'package.json'))(PKGS.esbuild)

// A decoded rejection that no test reads must not crash the run.
process.on('unhandledRejection', () => {})

// ---------------------------------------------------------------------------------------------------
// Helpers

const delay = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms))
const delayReject = (ms, e) => new Promise((_, j) => setTimeout(() => j(e), ms))
const streamOf = (frames) => ReadableStream.from(frames)
async function collect(stream) {
  const out = []
  for await (const c of stream) out.push(c)
  return out
}
const UNSAFE = /[<\u2028\u2029]/g
const REPL = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' }
const scriptSafeJson = (v) => JSON.stringify(v).replace(UNSAFE, (c) => REPL[c])
const bytes = (s) => Buffer.byteLength(s, 'utf8')
const gz = (s, level = zc.Z_DEFAULT_COMPRESSION) => gzipSync(Buffer.from(s, 'utf8'), { level }).length
const kb = (n) => (n / 1024).toFixed(1) + ' KB'
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const TIMEOUT = Symbol('timeout')
const withTimeout = (p, ms = 1000) => Promise.race([Promise.resolve(p), delay(ms, TIMEOUT)])
// Settles a promise into a tagged result (never throws), with a timeout.
async function settle(p, ms = 1000) {
  try {
    const v = await withTimeout(p, ms)
    return v === TIMEOUT ? { timeout: true } : { ok: true, value: v }
  } catch (e) {
    return { ok: false, error: e }
  }
}

// An error carrying a digest, as Pareto's server errors do.
class DigestError extends Error {
  constructor(message, digest) {
    super(message)
    this.name = 'DigestError'
    this.digest = digest
  }
}
const isDigestError = (v) => v instanceof Error && typeof v.digest === 'string'
const errorShape = (e) => ({ name: e.name, message: e.message, digest: e.digest })
const errorFromShape = (s) => {
  const e = new Error(s.message)
  e.name = s.name
  if (s.digest) e.digest = s.digest
  return e
}

// ---------------------------------------------------------------------------------------------------
// Adapters. Each turns a value into text frames (a ReadableStream<string>, one frame per chunk: the
// first with the plain values, then one per settled promise) and back. `hook` adds the plugin that
// carries an error's digest (Pareto's WireError plugin, or the equivalent for the library).

const ERROR_TAG = 'pareto:error'
const MAP_TAG = 'pareto:map'
const SET_TAG = 'pareto:set'

function turboStream2(paretoPlugins) {
  return ({ hook = false } = {}) => {
    // Copy of packages/core/src/wire/{encode,decode}.ts plugin logic.
    const encodePlugin = (value) => {
      if (hook && isDigestError(value)) return [ERROR_TAG, errorShape(value)]
      if (paretoPlugins && value instanceof Map) return [MAP_TAG, [...value]]
      if (paretoPlugins && value instanceof Set) return [SET_TAG, [...value]]
      return false
    }
    const decodePlugin = (type, payload) => {
      if (type === ERROR_TAG) return { value: errorFromShape(payload) }
      if (type === MAP_TAG) return { value: new Map(payload) }
      if (type === SET_TAG) return { value: new Set(payload) }
      return false
    }
    return {
      lines: true,
      encode: (value) =>
        ts2.encode(value, { plugins: [encodePlugin] }).pipeThrough(new TextDecoderStream()),
      decode: async (frames) => {
        const { value } = await ts2.decode(frames.pipeThrough(new TextEncoderStream()), { plugins: [decodePlugin] })
        return { value }
      },
    }
  }
}

function turboStream3({ hook = false } = {}) {
  const encodePlugin = (value) => (hook && isDigestError(value) ? [ERROR_TAG, errorShape(value)] : false)
  const decodePlugin = (type, payload) => (type === ERROR_TAG ? { value: errorFromShape(payload) } : false)
  return {
    lines: true,
    // redactErrors defaults to true in 3.x (name/message replaced); Pareto decides what is public itself.
    encode: (value) => ts3.encode(value, { plugins: [encodePlugin], redactErrors: false }),
    decode: async (frames) => ({ value: await ts3.decode(frames, { plugins: [decodePlugin] }) }),
  }
}

const serovalDigestPlugin = seroval.createPlugin({
  tag: 'pareto/error',
  test: isDigestError,
  parse: {
    sync: (v, ctx) => ({ s: ctx.parse(errorShape(v)) }),
    async: async (v, ctx) => ({ s: await ctx.parse(errorShape(v)) }),
    stream: (v, ctx) => ({ s: ctx.parse(errorShape(v)) }),
  },
  serialize: (node, ctx) => `Object.assign(new Error,${ctx.serialize(node.s)})`,
  deserialize: (node, ctx) => errorFromShape(ctx.deserialize(node.s)),
})

function serovalCrossJSON({ hook = false } = {}) {
  const plugins = hook ? [serovalDigestPlugin] : []
  return {
    encode: (value) =>
      new ReadableStream({
        start(controller) {
          seroval.toCrossJSONStream(value, {
            plugins,
            onParse: (node) => controller.enqueue(JSON.stringify(node)),
            onError: (e) => controller.error(e),
            onDone: () => controller.close(),
          })
        },
      }),
    decode: async (frames) => {
      const reader = frames.getReader()
      const refs = new Map()
      const first = await reader.read()
      if (first.done) throw new Error('no frames')
      const value = seroval.fromCrossJSON(JSON.parse(first.value), { refs, plugins })
      ;(async () => {
        for (;;) {
          const { done, value: f } = await reader.read()
          if (done) break
          seroval.fromCrossJSON(JSON.parse(f), { refs, plugins })
        }
      })()
      return { value }
    },
  }
}

// seroval's JS-code mode: frames are scripts that a page must evaluate (for byte counts only).
async function serovalJsFrames(value) {
  const out = []
  await new Promise((res, rej) =>
    seroval.crossSerializeStream(value, { scopeId: 'p', onSerialize: (s) => out.push(s), onError: rej, onDone: res }))
  return out
}

function devalueSync({ hook = false } = {}) {
  const reducers = hook ? { PErr: (v) => isDigestError(v) && errorShape(v) } : {}
  const revivers = hook ? { PErr: errorFromShape } : {}
  return {
    sync: true,
    // No promise streaming: stringify throws on promises (stringifyAsync awaits them all first).
    encode: (value) => streamOf([devalue.stringify(value, reducers)]),
    decode: async (frames) => {
      const [text] = await collect(frames)
      return { value: devalue.parse(text, revivers) }
    },
  }
}

const ADAPTERS = [
  { id: 'ts2', label: `turbo-stream ${pkgVersion(PKGS.ts2)} + Pareto plugins`, make: turboStream2(true) },
  { id: 'ts2raw', label: `turbo-stream ${pkgVersion(PKGS.ts2)} (no plugins)`, make: turboStream2(false), typesOnly: true },
  { id: 'ts3', label: `turbo-stream ${pkgVersion(PKGS.ts3)}`, make: turboStream3 },
  { id: 'seroval', label: `seroval ${pkgVersion(PKGS.seroval)} (cross-JSON)`, make: serovalCrossJSON },
  { id: 'devalue', label: `devalue ${pkgVersion(PKGS.devalue)} (sync only)`, make: devalueSync },
]

// ---------------------------------------------------------------------------------------------------
// 1. Types supported

const rejectionOf = (p) => Promise.resolve(p).then(() => ({ resolved: true }), (e) => ({ error: e }))

/** The rejection of `d.p` is an Error with message 'nope' and digest 'd1', or a reason why not. */
async function checkDigestRejection(d, lost) {
  const r = await rejectionOf(d.p)
  if (!r.error) return 'resolved'
  if (!(r.error instanceof Error)) return `rejected with ${typeof r.error}`
  if (r.error.message !== 'nope') return `message "${r.error.message}"`
  return r.error.digest === 'd1' || lost
}
const shortErr = (e) => (e instanceof Error ? e.message : String(e)).slice(0, 48)
const fmtErr = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

const CASES = [
  { name: 'Date', make: () => ({ v: new Date(1700000000123) }), check: (d) => d.v instanceof Date && d.v.getTime() === 1700000000123 },
  {
    name: 'Map (insertion order)',
    make: () => ({ v: new Map([['b', 1], ['a', 2], ['c', 3]]) }),
    check: (d) => (d.v instanceof Map ? ([...d.v.keys()].join() === 'b,a,c' || `order ${[...d.v.keys()].join('')}`) : false),
  },
  {
    name: 'Set (insertion order)',
    make: () => ({ v: new Set([3, 1, 2]) }),
    check: (d) => (d.v instanceof Set ? ([...d.v].join() === '3,1,2' || `order ${[...d.v].join('')}`) : false),
  },
  { name: 'BigInt', make: () => ({ v: 12345678901234567890n }), check: (d) => d.v === 12345678901234567890n },
  { name: 'URL', make: () => ({ v: new URL('https://x.test/a?b=1#c') }), check: (d) => d.v instanceof URL && d.v.href === 'https://x.test/a?b=1#c' },
  { name: 'RegExp', make: () => ({ v: /ab+c/gi }), check: (d) => d.v instanceof RegExp && d.v.source === 'ab+c' && d.v.flags === 'gi' },
  {
    name: 'undefined (prop + array item)',
    make: () => ({ v: undefined, a: [1, undefined, 3] }),
    check: (d) => 'v' in d && d.v === undefined && d.a.length === 3 && d.a[1] === undefined,
  },
  { name: 'NaN', make: () => ({ v: NaN }), check: (d) => Number.isNaN(d.v) },
  { name: '±Infinity', make: () => ({ v: [Infinity, -Infinity] }), check: (d) => d.v[0] === Infinity && d.v[1] === -Infinity },
  { name: '-0', make: () => ({ v: -0 }), check: (d) => Object.is(d.v, -0) },
  {
    name: 'Error (name + message)',
    make: () => ({ v: new TypeError('boom') }),
    check: (d) => d.v instanceof Error && (d.v.name === 'TypeError' && d.v.message === 'boom' || `got ${fmtErr(d.v)}`),
  },
  {
    name: 'Error stack kept server-side (default)',
    make: () => {
      const e = new Error('x')
      e.stack = 'Error: x\n    at secretServerFrame (/srv/app/secret.js:1:1)'
      return { v: e }
    },
    check: (d) => d.v instanceof Error && (!String(d.v.stack).includes('secretServerFrame') || 'stack sent'),
  },
  {
    name: 'shared references',
    make: () => {
      const o = { x: 1 }
      return { a: o, b: [o] }
    },
    check: (d) => d.a === d.b[0] && d.a.x === 1,
  },
  {
    name: 'cycles',
    make: () => {
      const o = { n: 'o' }
      o.self = o
      return { o }
    },
    check: (d) => d.o.self === d.o,
  },
  {
    name: 'promise at top level',
    stream: true,
    make: () => delay(5, { ok: 1 }),
    check: async (d) => (await d).ok === 1,
  },
  {
    name: 'promise nested 3 deep',
    stream: true,
    make: () => ({ a: { b: { c: delay(5, 'deep') } } }),
    check: async (d) => (await d.a.b.c) === 'deep',
  },
  {
    name: 'promise inside a resolved promise value',
    stream: true,
    make: () => ({ p: delay(5, { q: delay(10, 'inner') }) }),
    check: async (d) => (await (await d.p).q) === 'inner',
  },
  {
    name: 'shared ref: first frame ↔ promise value',
    stream: true,
    make: () => {
      const o = { x: 1 }
      return { a: o, p: delay(5, { o }) }
    },
    check: async (d) => (await d.p).o === d.a,
  },
  {
    name: 'promise → [] then another promise',
    stream: true,
    make: () => ({ a: delay(5, []), b: delay(15, 'after') }),
    check: async (d) => Array.isArray(await d.a) && (await d.b) === 'after',
  },
  {
    name: 'promise → empty Map/Set then another',
    stream: true,
    make: () => ({ a: delay(5, new Map()), s: delay(8, new Set()), b: delay(15, 'after') }),
    check: async (d) => (await d.a) instanceof Map && (await d.s) instanceof Set && (await d.b) === 'after',
  },
  {
    name: 'rejected promise, error.digest (built-in)',
    stream: true,
    make: () => ({ p: delayReject(5, new DigestError('nope', 'd1')) }),
    check: (d) => checkDigestRejection(d, 'digest lost'),
  },
  {
    name: 'rejected promise, error.digest (via plugin hook)',
    stream: true,
    hook: true,
    make: () => ({ p: delayReject(5, new DigestError('nope', 'd1')) }),
    check: (d) => checkDigestRejection(d, 'digest lost: hook not applied'),
  },
  {
    name: 'sync Error.digest via plugin hook',
    hook: true,
    make: () => ({ e: new DigestError('nope', 'd1') }),
    check: (d) => d.e instanceof Error && (d.e.digest === 'd1' || 'digest lost'),
  },
]

async function runCase(adapter, c) {
  const a = adapter.make({ hook: !!c.hook })
  if (c.stream && a.sync) return 'n/a'
  let decoded
  try {
    decoded = await withTimeout(a.decode(a.encode(c.make())), 1000)
  } catch (e) {
    return `✗ throws: ${shortErr(e)}`
  }
  if (decoded === TIMEOUT) return '✗ hangs'
  const r = await settle((async () => c.check(decoded.value))(), 1000)
  if (r.timeout) return '✗ hangs (a promise never settles)'
  if (!r.ok) return `✗ rejects: ${shortErr(r.error)}`
  if (r.value === true) return '✓'
  return `✗${typeof r.value === 'string' ? ` (${r.value})` : ''}`
}

async function typeTable() {
  const rows = []
  for (const c of CASES) {
    const row = [c.name]
    for (const ad of ADAPTERS) row.push(await runCase(ad, c))
    rows.push(row)
  }
  return rows
}

// ---------------------------------------------------------------------------------------------------
// 2/3. Realistic payload: bytes and timings

function rng(seed) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32)
}
const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(' ')

function makeData() {
  const r = rng(42)
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ')
  const t0 = Date.UTC(2024, 0, 1)
  const authors = Array.from({ length: 25 }, (_, i) => ({
    id: `u_${1000 + i}`,
    name: `${pick(WORDS)} ${pick(WORDS)}`,
  }))
  const categories = new Map(Array.from({ length: 12 }, (_, i) => [`c${i}`, { id: `c${i}`, name: words(2), slug: `cat-${i}` }]))
  const catList = [...categories.values()]
  const items = Array.from({ length: 500 }, (_, i) => ({
    id: i + 1,
    sku: `SKU-${String(100000 + i * 7)}`,
    name: words(2),
    price: Math.round(r() * 100000) / 100,
    createdAt: new Date(t0 + Math.floor(r() * 3e10)),
    author: authors[i % authors.length],
    categoryId: catList[i % catList.length].id,
    tags: Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(WORDS)),
    variants: [{ size: pick(['S', 'M', 'L']), qty: Math.floor(r() * 50) }],
  }))
  return { authors, categories, items }
}

function syncPayload() {
  const { authors, categories, items } = makeData()
  return { page: { title: 'Catalogue', page: 1, total: items.length }, authors, categories, items }
}
// Same content, with 300 of the 500 items behind 3 promises (each settling in its own frame).
function promisePayload(settle = (ms, v) => delay(ms, v)) {
  const { authors, categories, items } = makeData()
  return {
    page: { title: 'Catalogue', page: 1, total: items.length },
    authors,
    categories,
    items: items.slice(0, 200),
    reviews: settle(2, items.slice(200, 300)),
    related: settle(4, items.slice(300, 400)),
    recs: settle(6, items.slice(400, 500)),
  }
}

// Structural check of a decoded payload (types, values, shared references).
async function payloadOk(d, withPromises) {
  const ref = makeData()
  let items = d.items
  if (withPromises) items = [...items, ...(await d.reviews), ...(await d.related), ...(await d.recs)]
  if (!Array.isArray(items) || items.length !== 500) return false
  if (!(d.categories instanceof Map) || [...d.categories.keys()].join() !== [...ref.categories.keys()].join()) return false
  for (let i = 0; i < 500; i++) {
    const a = items[i], b = ref.items[i]
    if (!(a.createdAt instanceof Date) || a.createdAt.getTime() !== b.createdAt.getTime()) return false
    if (a.name !== b.name || a.price !== b.price || a.tags.join() !== b.tags.join() || a.variants.length !== b.variants.length) return false
    if (a.author !== d.authors[i % 25] || !d.categories.has(a.categoryId)) return false
  }
  return true
}

// Frames as text: turbo-stream's chunks are cut at 16 KB (3.x) rather than at frame ends, so split its
// output into lines; seroval's chunks are whole frames.
async function framesOf(a, value) {
  const chunks = await collect(a.encode(value))
  return a.lines ? chunks.join('').split('\n').filter(Boolean).map((l) => l + '\n') : chunks
}

// Bytes of the frames as Pareto would send them: lines for navigation, inline scripts for the document.
function frameBytes(frames) {
  const lines = frames.map((f) => (f.endsWith('\n') ? f : f + '\n')).join('')
  const html = frames.map((f) => `<script>__PARETO.f.push(${scriptSafeJson(f)})</script>`).join('')
  return { n: frames.length, raw: bytes(lines), gz: gz(lines), html: bytes(html), htmlGz: gz(html) }
}

async function measureBytes() {
  const rows = []
  const json = JSON.stringify(syncPayload())
  rows.push({ label: 'JSON.stringify (baseline, lossy, sync)', sync: frameBytes([json]), prom: null, ok: '—' })
  for (const ad of ADAPTERS.filter((a) => !a.typesOnly)) {
    const a = ad.make()
    const syncFrames = await framesOf(a, syncPayload())
    const okSync = await payloadOk((await a.decode(streamOf(syncFrames))).value, false)
    let prom = null, okProm = true
    if (!a.sync) {
      const pf = await framesOf(a, promisePayload())
      prom = frameBytes(pf)
      okProm = await payloadOk((await a.decode(streamOf(pf))).value, true)
    }
    rows.push({ label: ad.label, sync: frameBytes(syncFrames), prom, ok: okSync && okProm ? '✓' : '✗' })
    if (ad.id === 'seroval') {
      // Alternative embedding: each cross-JSON frame inlined as an object literal (no string escaping).
      const lit = (fs) => {
        const html = fs.map((f) => `<script>__PARETO.f.push(${scriptSafeJson(JSON.parse(f))})</script>`).join('')
        return { ...frameBytes(fs), html: bytes(html), htmlGz: gz(html) }
      }
      const pf = await framesOf(a, promisePayload())
      rows.push({ label: '↳ same, frames inlined as object literals', sync: lit(syncFrames), prom: lit(pf), ok: '✓' })
    }
  }
  const jsSync = await serovalJsFrames(syncPayload())
  const jsProm = await serovalJsFrames(promisePayload())
  const jsBytes = (fs) => {
    const code = fs.join('\n')
    const html = fs.map((f) => `<script>${f}</script>`).join('')
    return { n: fs.length, raw: bytes(code), gz: gz(code), html: bytes(html), htmlGz: gz(html) }
  }
  rows.push({ label: `seroval ${pkgVersion(PKGS.seroval)} JS mode (crossSerializeStream; needs script eval)`, sync: jsBytes(jsSync), prom: jsBytes(jsProm), ok: 'not run' })
  return { rows, jsonSize: bytes(json) }
}

async function timeIt(fn) {
  for (let i = 0; i < WARMUP; i++) await fn()
  const ts = []
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.()
    const t0 = performance.now()
    await fn()
    ts.push(performance.now() - t0)
  }
  const s = ts.sort((a, b) => a - b)
  return [median(s), s[Math.floor((s.length - 1) / 4)], s[Math.ceil((3 * (s.length - 1)) / 4)]]
}

// Timings of one serializer; runs in its own child process (fresh V8, no JIT feedback from the others).
const JSON_ID = 'json'
const SEROVAL_JS_ID = 'seroval-js'
async function timeGroup(id) {
  const out = {}
  const awaitAll = (d) => Promise.all([d.reviews, d.related, d.recs])
  const settledPayload = () => promisePayload((_ms, x) => Promise.resolve(x))
  if (id === JSON_ID) {
    const v = syncPayload()
    const s = JSON.stringify(v)
    out.enc = await timeIt(() => JSON.stringify(v))
    out.dec = await timeIt(() => JSON.parse(s))
  } else if (id === SEROVAL_JS_ID) {
    const v = syncPayload()
    const pv = settledPayload()
    out.enc = await timeIt(() => serovalJsFrames(v))
    out.penc = await timeIt(() => serovalJsFrames(pv))
  } else {
    const a = ADAPTERS.find((x) => x.id === id).make()
    const v = syncPayload()
    const frames = await collect(a.encode(v))
    out.enc = await timeIt(() => collect(a.encode(v)))
    out.dec = await timeIt(async () => (await a.decode(streamOf(frames))).value)
    if (!a.sync) {
      // Promises already settled, so this times the frame machinery, not timers.
      const pv = settledPayload()
      const pframes = await collect(a.encode(pv))
      out.penc = await timeIt(() => collect(a.encode(pv)))
      out.pdec = await timeIt(async () => awaitAll((await a.decode(streamOf(pframes))).value))
    }
  }
  return out
}

function measureTimes() {
  const groups = [
    [JSON_ID, 'JSON.stringify / JSON.parse (baseline, lossy)'],
    ...ADAPTERS.filter((x) => !x.typesOnly).map((x) => [x.id, x.label]),
    [SEROVAL_JS_ID, `seroval ${pkgVersion(PKGS.seroval)} JS mode (encode only)`],
  ]
  return groups.map(([id, label]) => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--install-dir', INSTALL_DIR,
      '--runs', String(RUNS), '--warmup', String(WARMUP), '--time-child', id], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`timing child ${id} failed: ${r.stderr}`)
    return { label, ...JSON.parse(r.stdout) }
  })
}

// ---------------------------------------------------------------------------------------------------
// 4. Client cost: decoder bundle, minified + gzip -9

async function bundleSize(contents) {
  const r = await esbuild.build({
    stdin: { contents, resolveDir: INSTALL_DIR, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2020', write: false, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  const code = r.outputFiles[0].text
  return { min: bytes(code), gz: gz(code, 9) }
}

async function measureBundles() {
  const paretoPlugin = `const P=(t,p)=>t==='pareto:map'?{value:new Map(p)}:t==='pareto:set'?{value:new Set(p)}:t==='pareto:error'?{value:Object.assign(new Error(p.message),p)}:false;`
  const entries = [
    [`turbo-stream ${pkgVersion(PKGS.ts2)}: decode`, `export { decode } from 'turbo-stream'`],
    [`turbo-stream ${pkgVersion(PKGS.ts2)}: decode + Pareto plugin`, `import { decode } from 'turbo-stream';${paretoPlugin}export const d=(s)=>decode(s,{plugins:[P]})`],
    [`turbo-stream ${pkgVersion(PKGS.ts3)}: decode`, `export { decode } from 'turbo-stream3'`],
    [`seroval ${pkgVersion(PKGS.seroval)}: fromCrossJSON`, `export { fromCrossJSON } from 'seroval'`],
    [`seroval ${pkgVersion(PKGS.seroval)}: createCrossDeserializer`, `export { createCrossDeserializer } from 'seroval'`],
    [`devalue ${pkgVersion(PKGS.devalue)}: parse`, `export { parse } from 'devalue'`],
  ]
  const rows = []
  for (const [label, src] of entries) rows.push({ label, ...(await bundleSize(src)) })
  const header = seroval.getCrossReferenceHeader('p')
  rows.push({ label: `seroval JS mode: no decoder, per-page header \`${header}\``, min: bytes(header), gz: gz(header, 9) })
  return rows
}

// ---------------------------------------------------------------------------------------------------
// Report

const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
const ms = (x) => (x == null ? '—' : `${x[0].toFixed(2)} <sub>${x[1].toFixed(1)}–${x[2].toFixed(1)}</sub>`)

const CHILD = opt('--time-child', null)
if (CHILD) {
  process.stdout.write(JSON.stringify(await timeGroup(CHILD)))
  process.exit(0)
}

const started = new Date()
const LOAD = os.loadavg().map((x) => x.toFixed(2)).join(' / ')
const types = await typeTable()
const { rows: byteRows, jsonSize } = await measureBytes()
const timeRows = measureTimes()
const bundleRows = await measureBundles()

const cpus = os.cpus()
const md = [
  '# Serializer comparison for Pareto loader-data frames',
  '',
  `Generated by \`bench/serializers/compare.mjs\` on ${started.toISOString()}.`,
  '',
  `- Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model?.trim() ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; single-threaded, sequential. Load average at start: ${LOAD}.`,
  `- Versions: turbo-stream ${pkgVersion(PKGS.ts2)}, turbo-stream ${pkgVersion(PKGS.ts3)} (npm alias \`turbo-stream3\`), seroval ${pkgVersion(PKGS.seroval)}, devalue ${pkgVersion(PKGS.devalue)}, esbuild ${pkgVersion(PKGS.esbuild)}.`,
  '- turbo-stream 2.4.1 runs with a copy of Pareto\'s plugins (Maps/Sets as ordered arrays); the "no plugins" column shows the library alone.',
  '- turbo-stream 3.2.1 runs with `redactErrors: false` (its default `true` replaces every error\'s name and message).',
  '- seroval runs in cross-JSON mode: `toCrossJSONStream` → `JSON.stringify` per frame; `JSON.parse` → `fromCrossJSON(node, { refs })` with one `refs` Map across frames (no eval).',
  '- devalue has no promise streaming (`stringify` throws on a promise; `stringifyAsync` awaits them all before the first byte): it is in the sync rows only.',
  '',
  '## 1. Types (round trip through text frames)',
  '',
  'The "via plugin hook" rows use each library\'s extension point: turbo-stream encode/decode plugins, a seroval `createPlugin`, devalue reducers/revivers.',
  '',
  table(['case', ...ADAPTERS.map((a) => a.label)], types),
  '',
  'Notes (checked by hand against these versions, not by the table):',
  '- turbo-stream 3.2.1: its encoder writes correct frames, but after decoding a promise that settles to an empty array/Map/Set, every later promise frame rejects with "Invalid stack state". Its plugins are never consulted for `Error` values (built-in handling runs first), so a digest cannot be added with a hook; with the default `redactErrors: true` name and message are replaced too, and with `false` the stack is sent.',
  '- seroval: an `Error` keeps its own properties (so `digest` crosses without a plugin), and its stack is sent unless the encoder gets `disabledFeatures: Feature.ErrorPrototypeStack` (verified: stack then withheld, digest kept). `URL` needs the separate `seroval-plugins` package (`URLPlugin`).',
  '- devalue: no `Error` support without reducers/revivers; no streaming at all.',
  '',
  '## 2. Bytes on the wire',
  '',
  `Payload: 500 items (id, sku, name, price, Date, tags array, variants array of objects) each pointing at one of 25 shared author objects, plus a Map of 12 categories; JSON.stringify size ${kb(jsonSize)}. ` +
    '"+3 promises" keeps the same content with 300 items behind 3 promises (4 frames). "lines" = frames as newline-separated text (navigation); ' +
    '"HTML" = each frame as `<script>__PARETO.f.push(<script-safe JSON string>)</script>`, as Pareto inlines them today. gzip at the default level 6.',
  '',
  table(
    ['serializer', 'lines', 'lines gz', 'HTML', 'HTML gz', '+3 promises: frames', 'lines', 'lines gz', 'HTML', 'HTML gz', 'round trip'],
    byteRows.map((r) => [
      r.label, kb(r.sync.raw), kb(r.sync.gz), kb(r.sync.html), kb(r.sync.htmlGz),
      r.prom ? r.prom.n : '—', r.prom ? kb(r.prom.raw) : '—', r.prom ? kb(r.prom.gz) : '—', r.prom ? kb(r.prom.html) : '—', r.prom ? kb(r.prom.htmlGz) : '—', r.ok,
    ]),
  ),
  '',
  '## 3. Encode / decode time (ms, median of ' + RUNS + ' runs after ' + WARMUP + ' warm-up runs; each serializer in its own `node --expose-gc` process, GC forced before each run)',
  '',
  'Encode = value → all frames collected as strings; decode = frames (ReadableStream<string>) → value (with promises: all three settled). ' +
    'The promise variant uses already-settled promises, so it times the frame machinery, not timers. Small numbers: interquartile range. ' +
    'Numbers from a busy machine (see load average above) are noisy; compare within one run.',
  '',
  table(['serializer', 'encode', 'decode', '+3 promises encode', '+3 promises decode'], timeRows.map((r) => [r.label, ms(r.enc), ms(r.dec), ms(r.penc), ms(r.pdec)])),
  '',
  '## 4. Client cost (decode side only; esbuild --bundle --minify, ESM, browser; gzip -9)',
  '',
  table(['entry', 'min', 'min+gz'], bundleRows.map((r) => [r.label, `${r.min} B`, `${r.gz} B`])),
  '',
].join('\n')

console.log(md)
if (WRITE) {
  writeFileSync(OUT, md)
  console.error(`wrote ${OUT}`)
}
