// Load generation (autocannon, programmatic) + single-request timing.
import http from 'node:http'
import zlib from 'node:zlib'
import autocannon from 'autocannon'
import { CLK_TCK, treeCpuTicks, httpGet, httpRequest, sleep } from './proc.mjs'

// A person's Chrome: "HeadlessChrome" or a crawler's agent gets Pareto's finished page instead of the stream.
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

// BENCH_SCENARIOS=stream,api narrows a run to those scenarios (for a focused before/after comparison).
// latencyBound: its requests wait on a 200 ms promise, so it gets more connections for enough samples.
// post: a form post (see requestOf); skip: servers without the endpoint; target: ours ≤ target × floor alone.
const ALL_SCENARIOS = [
  { id: 'static', path: '/static', marker: 'Item number 49<', what: 'page, ~50 inline items' },
  { id: 'data', path: '/data', marker: 'Item number 1049<', what: 'loader, 10 ms query, ~50 items' },
  { id: 'stream', path: '/stream', marker: 'Item number 2049<', what: 'defer() 200 ms behind <Await>', latencyBound: true },
  { id: 'fastslow', path: '/fastslow', markers: ['Item number 6049<', 'Item number 7049<'], what: 'defer() 5 ms + 200 ms, two <Await>s', latencyBound: true },
  { id: 'api', path: '/api', marker: '"id":3049', what: 'route.ts JSON, ~50 items' },
  {
    id: 'mutation',
    path: '/__pareto/data/mutation',
    post: 'enhanced',
    markers: ['"action":{"ok":true}', '"title":"Item number 8049"'],
    what: 'enhanced form post: action + revalidated loader data (~50 items), one JSON response',
    skip: ['anchor'],
    target: 1.3,
  },
  {
    id: 'mutation-doc',
    path: '/mutation',
    post: 'document',
    markers: ['<p>Saved.</p>', 'Item number 8049<'],
    what: 'plain form post (no JavaScript): action + the page rendered again',
    skip: ['anchor'],
    target: 1.3,
  },
]
export const SCENARIOS = process.env.BENCH_SCENARIOS
  ? ALL_SCENARIOS.filter((s) => process.env.BENCH_SCENARIOS.split(',').includes(s.id))
  : ALL_SCENARIOS
export const NARROWED = SCENARIOS.length < ALL_SCENARIOS.length

/** Whether a server has the scenario's endpoint (the original has no page actions). */
export const servesScenario = (sc, serverId) => !sc.skip?.includes(serverId)

/** The scenario's form post body. */
export const FORM_BODY = 'title=x'
const FRAMES_TYPE = 'text/x-pareto-frames; charset=utf-8'

/**
 * What a scenario sends besides a GET: a form post as a browser sends it, from the server's own origin (a
 * form post from another origin gets 403). `enhanced` is `<Form method="post">` once hydrated: the router posts
 * to the data endpoint, keeping the page's data it has (fresh data comes back after a successful action all
 * the same); `document` is the same form without JavaScript.
 */
export function requestOf(sc, baseUrl) {
  if (!sc.post) return {}
  const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(baseUrl).origin }
  if (sc.post === 'enhanced') Object.assign(headers, { accept: FRAMES_TYPE, 'x-pareto-keep': 'mutation/page.tsx' })
  else headers.accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
  return { method: 'POST', headers, body: FORM_BODY }
}
export const SEED = { id: 'seed', path: '/seed', marker: 'Item number 5049<' }
// Streaming timings always use the stream page, in a run narrowed to other scenarios too.
const STREAM = ALL_SCENARIOS.find((x) => x.id === 'stream')
// The fastslow page's two values: rendered text (the trailing < keeps inline JSON from matching), fallback text, element.
export const FASTSLOW = {
  path: '/fastslow',
  fast: { marker: 'Item number 6049<', fallback: 'Loading the fast value', selector: 'li[data-id="6049"]' },
  slow: { marker: 'Item number 7049<', fallback: 'Loading the slow value', selector: 'li[data-id="7049"]' },
}

/**
 * One request per scenario: status 200 and the expected content; a form post from another origin must get 403
 * (so the posts measured are the ones that pass the origin check). Returns the problems found.
 */
export async function checkContent(baseUrl, scenarios = [...SCENARIOS, SEED]) {
  const problems = []
  for (const s of scenarios) {
    try {
      const req = requestOf(s, baseUrl)
      const r = await httpRequest(baseUrl + s.path, { timeoutMs: 10_000, ...req })
      const what = `${req.method ?? 'GET'} ${s.path}`
      if (r.status !== 200) problems.push(`${what}: HTTP ${r.status}`)
      else if ((s.markers ?? [s.marker]).some((m) => !r.body.includes(m))) {
        const lacking = (s.markers ?? [s.marker]).filter((m) => !r.body.includes(m))
        problems.push(`${what}: body lacks ${lacking.map((m) => JSON.stringify(m)).join(', ')} (${r.body.length} bytes)`)
      }
      else if (s.id !== 'api' && s.post !== 'enhanced' && !/^<!doctype html>/i.test(r.body.trimStart())) problems.push(`${what}: not an HTML document`)
      if (s.post) {
        const cross = await httpRequest(baseUrl + s.path, { timeoutMs: 10_000, ...req, headers: { ...req.headers, origin: 'http://elsewhere.invalid' } })
        if (cross.status !== 403) problems.push(`${what} from another origin: HTTP ${cross.status}, expected 403`)
      }
    } catch (e) {
      problems.push(`${s.path}: ${e.message}`)
    }
  }
  return problems
}

/**
 * autocannon takes a 1xx (ours sends 103 Early Hints with `earlyHints: true`) for the response: it counts it, a non-2xx, and sends
 * the next request while the real one is still streaming. Its parser handles 1xx correctly; only the two
 * callbacks autocannon installs after setupClient are wrapped to pass informational messages by.
 */
function skipInformational(client) {
  const p = client.parser
  const K = Object.getPrototypeOf(p).constructor
  let informational = false
  const trap = (key, wrap) => {
    let fn
    Object.defineProperty(p, key, { configurable: true, get: () => fn, set: (f) => { fn = wrap(f) } })
  }
  trap(K.kOnHeadersComplete, (f) => (info) => {
    informational = info.statusCode >= 100 && info.statusCode < 200 && info.statusCode !== 101
    return informational ? undefined : f(info)
  })
  trap(K.kOnMessageComplete, (f) => () => {
    if (!informational) return f()
    informational = false
  })
}

function runAutocannon(opts) {
  return new Promise((resolve, reject) => {
    let hardStop
    const inst = autocannon({ pipelining: 1, timeout: 10, setupClient: skipInformational, ...opts }, (err, res) => {
      clearTimeout(hardStop)
      if (err) reject(err)
      else resolve(res)
    })
    if (opts.maxSeconds) hardStop = setTimeout(() => inst.stop(), opts.maxSeconds * 1000)
  })
}

/** Warm-up: load with no measurement (`request`: method, headers and body, as requestOf gives them). */
export async function warmup(url, { connections, seconds, request = {} }) {
  await runAutocannon({ url, connections, duration: seconds, ...request })
}

/**
 * Fixed-connection load run. CPU/request = Δ(utime+stime) of the server
 * process (+ live children) across the run / completed requests.
 */
export async function measureLoad(pid, url, { connections, seconds, amount, maxSeconds, request = {} }) {
  const cpu0 = treeCpuTicks(pid)
  const t0 = process.hrtime.bigint()
  const res = await runAutocannon(amount ? { url, connections, amount, maxSeconds, ...request } : { url, connections, duration: seconds, ...request })
  const cpu1 = treeCpuTicks(pid)
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9
  const requests = res.requests.total
  const cpuTicks = cpu1 - cpu0
  return {
    requests,
    wallS,
    cpuTicks,
    cpuUsPerReq: requests > 0 ? (cpuTicks * 1e6) / CLK_TCK / requests : null,
    rps: requests / wallS,
    p50: res.latency.p50,
    p99: res.latency.p99,
    errors: res.errors,
    timeouts: res.timeouts,
    non2xx: res.non2xx,
  }
}

/**
 * One request on a fresh connection: time to first body byte, and time at
 * which `marker` (text inside the deferred chunk) has arrived.
 */
export function timedGet(url, marker, { gzip = false, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6
    let ttfb = null
    let markerAt = null
    let lastRawAt = null
    let text = ''
    const req = http.get(url, { agent: false, headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, (res) => {
      const encoded = res.headers['content-encoding'] === 'gzip'
      const onText = (chunk) => {
        if (markerAt !== null) return
        text += chunk.toString('utf8')
        if (text.includes(marker)) markerAt = encoded ? lastRawAt : ms()
        if (text.length > 64 * 1024) text = text.slice(-marker.length * 2)
      }
      let gunzip
      if (encoded) {
        gunzip = zlib.createGunzip()
        gunzip.on('data', onText)
        gunzip.on('error', () => {})
      }
      res.on('data', (c) => {
        const now = ms()
        if (ttfb === null) ttfb = now
        lastRawAt = now
        if (gunzip) gunzip.write(c, () => {})
        else onText(c)
      })
      res.on('end', async () => {
        if (gunzip) { gunzip.end(); await new Promise((r) => gunzip.on('end', r).on('close', r)) }
        const total = ms()
        resolve({ status: res.statusCode, ttfb, markerAt, total, encoding: res.headers['content-encoding'] || 'identity' })
      })
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

export const median = (xs) => {
  const a = xs.filter((x) => x != null && Number.isFinite(x)).sort((p, q) => p - q)
  if (!a.length) return null
  const m = a.length >> 1
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2
}

/** N sequential timed requests of the stream page (identity and gzip). */
export async function measureStreaming(baseUrl, { samples, delayMs = 200 }) {
  const out = { identity: [], gzip: [] }
  // Unmeasured: a fresh route of ours waits the shell budget for a value until it has seen it come late twice.
  for (let i = 0; i < 2; i++) await timedGet(baseUrl + STREAM.path, STREAM.marker)
  for (let i = 0; i < samples; i++) {
    for (const gzip of [false, true]) {
      const r = await timedGet(baseUrl + STREAM.path, STREAM.marker, { gzip })
      out[gzip ? 'gzip' : 'identity'].push({ ...r, chunkDelay: r.markerAt != null && r.ttfb != null ? r.markerAt - r.ttfb - delayMs : null })
      await sleep(20)
    }
  }
  return out
}

/**
 * One request on a fresh connection with a browser's user agent: time to first body byte, the time each
 * of `texts` first arrived (null: never), and the whole body (for what else was sent).
 */
export function timedTexts(url, texts, { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6
    let ttfb = null
    let text = ''
    const at = Object.fromEntries(Object.keys(texts).map((k) => [k, null]))
    const req = http.get(url, { agent: false, headers: { 'user-agent': BROWSER_UA } }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        const now = ms()
        if (ttfb === null) ttfb = now
        text += chunk
        for (const k in texts) if (at[k] === null && text.includes(texts[k])) at[k] = now
      })
      res.on('end', () => resolve({ status: res.statusCode, ttfb, at, total: ms(), body: text }))
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

/** N sequential requests of the fastslow page: first byte, each value's arrival, whether each fallback was sent. */
export async function measureFastSlow(baseUrl, { samples }) {
  const { fast, slow } = FASTSLOW
  const out = []
  for (let i = 0; i < samples; i++) {
    const r = await timedTexts(baseUrl + FASTSLOW.path, { fast: fast.marker, slow: slow.marker })
    out.push({
      status: r.status,
      html: /^<!doctype html>/i.test(r.body.trimStart()),
      ttfb: r.ttfb,
      fastAt: r.at.fast,
      slowAt: r.at.slow,
      fastFallback: r.body.includes(fast.fallback),
      slowFallback: r.body.includes(slow.fallback),
      total: r.total,
    })
    await sleep(20)
  }
  return out
}
