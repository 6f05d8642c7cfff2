// RESULTS.md + results.svg rendering from the aggregated results object.
import { SCENARIOS, NARROWED } from './load.mjs'

export const TARGETS = {
  cpuVsFloor: 1.33, // ours ≤ 1.33 × floor
  cpuVsOriginal: 1.3, // ours ≤ original / 1.3
  clientKbGz: 72,
  ttfbOverFloorMs: 2,
  chunkDelayMs: 5,
}

// MAIN are compared everywhere; ours without the shell budget only where it is measured (fastslow, streaming).
const MAIN = ['floor', 'anchor', 'ours']
const SERVER_ORDER = [...MAIN, 'ours-nobudget']
const LABEL = { floor: 'floor', anchor: 'original', ours: 'ours', 'ours-nobudget': 'ours, no budget' }
// Any other server of the run (ours-semiN) after those, under the label it was run with.
const serverOrder = (R) => [...SERVER_ORDER, ...Object.keys(R.servers).filter((s) => !SERVER_ORDER.includes(s))]
const labelOf = (R, s) => LABEL[s] ?? R.servers[s]?.label ?? s
const COLOR = { floor: '#9aa5b1', anchor: '#e07a5f', ours: '#3d5a80' }

const f = (x, d = 1) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(d))
const int = (x) => (x == null || !Number.isFinite(x) ? '–' : Math.round(x).toLocaleString('en-US'))
const kb = (b) => (b == null ? '–' : (b / 1024).toFixed(1))
const rx = (x) => (x == null || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`)
const ratio = (a, b) => (a != null && b != null && b > 0 ? a / b : null)
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The CPU figure ours must stay under in a scenario: min(target × floor, original / 1.3), or the scenario's own target × floor. */
export function cpuTarget(cpu, sc) {
  const { floor, anchor } = cpu
  if (sc?.target) return floor != null ? floor * sc.target : null
  const tg = Math.min(floor != null ? floor * TARGETS.cpuVsFloor : Infinity, anchor != null ? anchor / TARGETS.cpuVsOriginal : Infinity)
  return Number.isFinite(tg) ? tg : null
}

/** Per-scenario verdict for ours; a scenario with a target of its own (no original to compare with) is judged against the floor alone. */
export function cpuVerdict(cpu, sc) {
  const { floor, anchor, ours } = cpu
  if (ours == null) return { text: 'n/a (ours not available)', pass: null }
  const vsF = ratio(ours, floor)
  if (sc?.target) {
    const okF = vsF != null ? vsF <= sc.target : null
    const why = `${okF ? '✅' : '❌'} ≤${sc.target}×floor (the original has no page actions)`
    return okF == null ? { text: 'n/a (floor not measured)', pass: null } : { text: `**${okF ? 'yes' : 'no'}** ${why}`, pass: okF }
  }
  const vsO = ratio(ours, anchor)
  const okF = vsF != null ? vsF <= TARGETS.cpuVsFloor : null
  const okO = vsO != null ? vsO <= 1 / TARGETS.cpuVsOriginal : null
  const parts = []
  if (okF != null) parts.push(`${okF ? '✅' : '❌'} ≤1.33×floor`)
  if (okO != null) parts.push(`${okO ? '✅' : '❌'} ≤original/1.3`)
  const pass = okF != null && okO != null ? okF && okO : null
  return { text: (pass === true ? '**yes** ' : pass === false ? '**no** ' : 'partial: ') + parts.join(', '), pass }
}

export function renderSvg(R) {
  const W = 760, H = 380, padL = 64, padR = 20, padT = 48, padB = 64
  const servers = MAIN.filter((s) => R.servers[s])
  const vals = []
  for (const sc of SCENARIOS) for (const s of servers) { const v = R.load[sc.id]?.[s]?.cpuUsPerReq; if (v != null) vals.push(v) }
  const max = Math.max(1, ...vals)
  const step = niceStep(max / 5)
  const top = Math.ceil(max / step) * step
  const plotW = W - padL - padR, plotH = H - padT - padB
  const groupW = plotW / SCENARIOS.length
  const barW = Math.min(48, (groupW * 0.8) / servers.length)
  const y = (v) => padT + plotH - (v / top) * plotH
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">\n`
  s += `<rect width="${W}" height="${H}" fill="#fff"/>\n`
  s += `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">Server CPU time per request (µs, lower is better)</text>\n`
  s += `<text x="${W / 2}" y="37" text-anchor="middle" fill="#555">${esc(R.meta.date)} · ${esc(R.meta.mode)} · ${R.meta.cores} cores · node ${esc(R.meta.node)}</text>\n`
  for (let v = 0; v <= top + 1e-9; v += step) {
    s += `<line x1="${padL}" x2="${W - padR}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`
    s += `<text x="${padL - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${int(v)}</text>\n`
  }
  s += `<line x1="${padL}" x2="${padL}" y1="${padT}" y2="${padT + plotH}" stroke="#333"/>\n`
  s += `<line x1="${padL}" x2="${W - padR}" y1="${padT + plotH}" y2="${padT + plotH}" stroke="#333"/>\n`
  SCENARIOS.forEach((sc, gi) => {
    const gx = padL + gi * groupW + (groupW - barW * servers.length) / 2
    servers.forEach((srv, bi) => {
      const v = R.load[sc.id]?.[srv]?.cpuUsPerReq
      const x = gx + bi * barW
      if (v == null) {
        s += `<text x="${(x + barW / 2).toFixed(1)}" y="${padT + plotH - 6}" text-anchor="middle" fill="#999" font-size="10">n/a</text>\n`
        return
      }
      s += `<rect x="${(x + 2).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(padT + plotH - y(v)).toFixed(1)}" fill="${COLOR[srv]}"><title>${LABEL[srv]} ${sc.id}: ${f(v)} µs/req</title></rect>`
      s += `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${int(v)}</text>\n`
    })
    // target for ours: min(1.33 × floor, original / 1.3), dashed
    const tg = cpuTarget({ floor: R.load[sc.id]?.floor?.cpuUsPerReq, anchor: R.load[sc.id]?.anchor?.cpuUsPerReq }, sc)
    if (tg != null && tg <= top) {
      s += `<line x1="${gx.toFixed(1)}" x2="${(gx + barW * servers.length).toFixed(1)}" y1="${y(tg).toFixed(1)}" y2="${y(tg).toFixed(1)}" stroke="#2a9d8f" stroke-width="2" stroke-dasharray="5 3"><title>target for ours: ${f(tg)} µs/req</title></line>\n`
    }
    s += `<text x="${(padL + gi * groupW + groupW / 2).toFixed(1)}" y="${padT + plotH + 18}" text-anchor="middle" font-weight="bold">${sc.id}</text>\n`
  })
  let lx = padL
  for (const srv of MAIN) {
    const avail = R.servers[srv]?.available
    s += `<rect x="${lx}" y="${H - 24}" width="12" height="12" fill="${COLOR[srv]}" opacity="${avail ? 1 : 0.3}"/>`
    s += `<text x="${lx + 16}" y="${H - 14}">${LABEL[srv]}${avail ? '' : ' (not available)'}</text>\n`
    lx += 150
  }
  s += `<line x1="${lx}" x2="${lx + 14}" y1="${H - 18}" y2="${H - 18}" stroke="#2a9d8f" stroke-width="2" stroke-dasharray="5 3"/><text x="${lx + 18}" y="${H - 14}">target for ours</text>\n`
  s += `<text x="${padL - 48}" y="${padT + plotH / 2}" transform="rotate(-90 ${padL - 48} ${padT + plotH / 2})" text-anchor="middle" fill="#333">µs CPU / request</text>\n`
  s += '</svg>\n'
  return s
}

function niceStep(x) {
  const p = 10 ** Math.floor(Math.log10(x || 1))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p
  return 10 * p
}

export function renderMarkdown(R, { svgName = 'results.svg', readme = 'README.md' } = {}) {
  const L = []
  const order = serverOrder(R)
  const label = (s) => labelOf(R, s)
  const avail = (s) => R.servers[s]?.available
  const M = R.meta
  L.push(`# Pareto benchmark results${M.short ? ' (short mode — smoke test, numbers are NOT meaningful)' : M.mode === 'partial' ? ' (partial run)' : ''}`)
  L.push('')
  L.push(`- Date: ${M.date}`)
  L.push(`- Machine: ${M.cores} cores (${M.cpuModel}), ${M.memGiB} GiB RAM, Linux ${M.kernel}, CLK_TCK ${M.clkTck}`)
  L.push(`- Node ${M.node}; bench client: autocannon ${M.autocannon}, playwright-core ${M.playwright}, Chromium ${M.chromium}`)
  for (const s of order) {
    const r = R.servers[s]
    if (!r) continue
    L.push(`- **${label(s)}**: ${r.available ? r.version : `not available (${r.reason ?? 'not run'})`}`)
  }
  L.push(`- Method: ${M.rounds} round(s), order ${M.orders.map((o) => o.map((x) => label(x)).join('→')).join(' | ')} (A/B/B/A); each server started fresh per round, warmed up ${M.warmupS} s per scenario, then ${M.durationS} s per scenario at ${M.connections} connections (stream and fastslow: ${M.streamConnections}); identity encoding (no Accept-Encoding)${NARROWED ? `; scenarios: ${SCENARIOS.map((sc) => sc.id).join(', ')} (BENCH_SCENARIOS)` : ''}`)
  L.push('')
  if (avail('ours') === false) {
    L.push(`> **ours: not available** — ${R.servers.ours.reason}`)
    L.push('')
  }
  if (R.problems.length) {
    L.push('> **Problems during the run:**')
    for (const p of R.problems) L.push(`> - ${p}`)
    L.push('')
  }

  // ---- headline
  L.push('## Server CPU per request (µs, lower is better)')
  L.push('')
  L.push(`![CPU µs/request per scenario](${svgName})`)
  L.push('')
  const own = SCENARIOS.filter((sc) => sc.target)
  L.push(`Target: ours ≤ ${TARGETS.cpuVsFloor}× floor **and** ≤ original / ${TARGETS.cpuVsOriginal}${own.length ? `; ${own.map((sc) => sc.id).join(' and ')}: ours ≤ ${own[0].target}× floor (the original has no page actions, so no such endpoint to measure)` : ''}.`)
  L.push('')
  L.push('| scenario | floor | original | ours | target for ours | original / floor | ours / floor | ours / original | meets target? |')
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---|')
  for (const sc of SCENARIOS) {
    const c = Object.fromEntries(order.map((s) => [s, R.load[sc.id]?.[s]?.cpuUsPerReq ?? null]))
    const v = cpuVerdict(c, sc)
    const tg = cpuTarget(c, sc)
    L.push(`| ${sc.id} | ${f(c.floor)} | ${f(c.anchor)} | ${f(c.ours)} | ≤ ${f(tg)} | ${rx(ratio(c.anchor, c.floor))} | ${rx(ratio(c.ours, c.floor))} | ${rx(ratio(c.ours, c.anchor))} | ${v.text} |`)
  }
  L.push('')

  // ---- detail
  L.push('## Load detail')
  L.push('')
  L.push('CPU µs/req is pooled over rounds (Σ CPU / Σ requests); the range is the per-round min–max. req/s, p50, p99 are medians over rounds. Errors = socket errors + timeouts, summed.')
  L.push('')
  L.push('| scenario | server | CPU µs/req | per-round range | req/s | p50 ms | p99 ms | requests | errors | non-2xx |')
  L.push('|---|---|---:|---|---:|---:|---:|---:|---:|---:|')
  for (const sc of SCENARIOS) {
    for (const s of order) {
      const r = R.load[sc.id]?.[s]
      if (!r && !MAIN.includes(s)) continue
      if (!r) { L.push(`| ${sc.id} | ${label(s)} | – | – | – | – | – | – | – | – |`); continue }
      L.push(`| ${sc.id} | ${label(s)} | ${f(r.cpuUsPerReq)} | ${f(r.cpuMin)}–${f(r.cpuMax)} | ${int(r.rps)} | ${f(r.p50, 0)} | ${f(r.p99, 0)} | ${int(r.requests)} | ${r.errors} | ${r.non2xx} |`)
    }
  }
  L.push('')

  // ---- streaming
  L.push('## Streaming (stream page, single requests on an idle server)')
  L.push('')
  L.push(`Median of ${M.ttfbSamples} sequential requests per round, fresh connection each. TTFB = request sent → first body byte. **Chunk delay (approx., client side)** = (arrival of the chunk holding the deferred data) − TTFB − 200 ms; it over-/under-states the true server-side delay by the shell render time and scheduling noise, so read it against the floor's figure.`)
  L.push('')
  L.push(`Targets: ours TTFB ≤ floor + ${TARGETS.ttfbOverFloorMs} ms; chunk delay ≤ ${TARGETS.chunkDelayMs} ms.`)
  L.push('')
  L.push('| server | TTFB ms | chunk delay ms (approx.) | total ms | TTFB ms (gzip) | chunk delay ms (gzip) | encoding with gzip asked |')
  L.push('|---|---:|---:|---:|---:|---:|---|')
  for (const s of order) {
    const t = R.streaming[s]
    if (!t && !MAIN.includes(s)) continue
    if (!t) { L.push(`| ${label(s)} | – | – | – | – | – | – |`); continue }
    L.push(`| ${label(s)} | ${f(t.identity.ttfb, 2)} | ${f(t.identity.chunkDelay, 2)} | ${f(t.identity.total, 1)} | ${f(t.gzip.ttfb, 2)} | ${f(t.gzip.chunkDelay, 2)} | ${t.gzip.encoding} |`)
  }
  const so = R.streaming.ours, sf = R.streaming.floor
  if (so && sf) {
    const dt = so.identity.ttfb - sf.identity.ttfb
    L.push('')
    L.push(`- TTFB ours − floor: ${f(dt, 2)} ms → ${dt <= TARGETS.ttfbOverFloorMs ? '✅ meets' : '❌ misses'} (≤ ${TARGETS.ttfbOverFloorMs} ms)`)
    L.push(`- Chunk delay ours: ${f(so.identity.chunkDelay, 2)} ms → ${so.identity.chunkDelay <= TARGETS.chunkDelayMs ? '✅ meets' : '❌ misses'} (≤ ${TARGETS.chunkDelayMs} ms)`)
  } else if (!so) {
    L.push('')
    L.push('- ours: n/a')
  }
  L.push('')

  renderFastSlow(R, L)

  // ---- client weight
  L.push('## Client JS weight (seed page)')
  L.push('')
  L.push(`Every script response of one page load in headless Chromium, each body gzip -9, summed (inline scripts in the HTML are not counted). Floor = React + ReactDOM client runtime alone (tiny \`hydrateRoot\` entry, minified production). Target: ours ≤ ${TARGETS.clientKbGz} KB gz.`)
  L.push('')
  L.push('| server | KB gz | KB raw | scripts | deferred content shown | page errors | meets target? |')
  L.push('|---|---:|---:|---:|---|---:|---|')
  for (const s of MAIN) {
    const c = R.client[s]
    if (!c) { L.push(`| ${label(s)} | – | – | – | – | – | – |`); continue }
    if (c.error) { L.push(`| ${label(s)} | – | – | – | – | – | ${esc(c.error)} |`); continue }
    const target = s === 'ours' ? ((c.gz / 1024) <= TARGETS.clientKbGz ? '✅ yes' : '❌ no') : ''
    L.push(`| ${label(s)} | ${kb(c.gz)} | ${kb(c.raw)} | ${c.scripts.length} | ${c.contentVisible == null ? '–' : c.contentVisible ? 'yes' : 'NO'} | ${c.errors?.length ?? 0} | ${target} |`)
  }
  for (const s of MAIN) {
    const c = R.client[s]
    if (c?.scripts?.length > 1) {
      L.push('')
      L.push(`<details><summary>${label(s)} scripts</summary>\n`)
      for (const x of c.scripts) L.push(`- \`${x.url}\` ${kb(x.gz)} KB gz (${kb(x.raw)} KB raw)`)
      if (c.errors?.length) for (const e of c.errors) L.push(`- error: ${esc(e)}`)
      L.push('\n</details>')
    }
  }
  L.push('')

  // ---- memory
  L.push('## Memory (RSS of the server process)')
  L.push('')
  L.push(`Fresh server, warm-up, then ${int(M.memRequests)} requests of the stream scenario at ${M.memConnections} connections (capped at ${M.memMaxS} s).`)
  L.push('')
  L.push('| server | RSS after warm-up MB | RSS after soak MB | growth MB | soak requests | soak req/s | errors | non-2xx |')
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const s of MAIN) {
    const m = R.memory[s]
    if (!m) { L.push(`| ${label(s)} | – | – | – | – | – | – | – |`); continue }
    const mb = (b) => (b / 1048576).toFixed(1)
    L.push(`| ${label(s)} | ${mb(m.rssWarm)} | ${mb(m.rssAfter)} | ${mb(m.rssAfter - m.rssWarm)} | ${int(m.requests)} | ${int(m.rps)} | ${m.errors} | ${m.non2xx} |`)
  }
  L.push('')
  renderManyStreams(R, L)
  L.push(`How to run and what each figure means: [README.md](${readme}).`)
  L.push('')
  return L.join('\n')
}

function renderFastSlow(R, L) {
  const M = R.meta
  const order = serverOrder(R)
  const label = (s) => labelOf(R, s)
  L.push('## Shell budget (fastslow page)')
  L.push('')
  if (!M.scenarios?.includes('fastslow')) {
    L.push('Not run (fastslow not in BENCH_SCENARIOS).')
    L.push('')
    return
  }
  L.push(`The page defers two values, one settling after 5 ms and one after 200 ms, each behind \`<Await>\` with a fallback of its own. With the shell budget (ours, default 20 ms) the shell waits for the fast value and carries it, and its fallback is never sent; with \`shellBudget: 0\` (ours, no budget), the original and the floor, the fallback is in the shell and the value streams in after it. Medians of ${M.ttfbSamples} sequential requests per round on the idle server after its load runs, fresh connection each, a browser's user agent, times from request sent. **On the wire** = arrival of the bytes holding the value's rendered text. **Fallback sent?** = the fast value's fallback text is in the response (how many of all). **Visible in Chromium** = navigation start → the value's element in the DOM and visible, median and worst of ${M.browserLoads || 0} page loads per round in one warm page (React reveals streamed boundaries throttled, so this can be well after the bytes, at worst together with the slow value; the floor's placeholder hydration entry is stubbed out). TTFB is the first byte of the page itself (a 103 Early Hints before it is not counted). CPU/request: the fastslow load run (${M.streamConnections} connections).`)
  L.push('')
  L.push('| server | TTFB ms | fast value on the wire ms | fast fallback sent? | slow value on the wire ms | fast visible in Chromium ms (worst) | slow visible in Chromium ms (worst) | CPU µs/req |')
  L.push('|---|---:|---:|---|---:|---:|---:|---:|')
  const sent = (k, n) => `${k === 0 ? 'no' : k === n ? 'yes' : 'sometimes'} (${k}/${n})`
  for (const s of order) {
    const t = R.fastslow?.[s]
    if (!t && !MAIN.includes(s)) continue
    const cpu = R.load.fastslow?.[s]?.cpuUsPerReq
    if (!t) { L.push(`| ${label(s)} | – | – | – | – | – | – | ${f(cpu)} |`); continue }
    const vis = (m, max) => (t.browser ? `${f(m, 0)} (${f(max, 0)})` : '–')
    L.push(`| ${label(s)} | ${f(t.ttfb, 2)} | ${f(t.fastAt, 2)} | ${sent(t.fastFallback, t.n)} | ${f(t.slowAt, 1)} | ${vis(t.browser?.fastVisible, t.browser?.fastVisibleMax)} | ${vis(t.browser?.slowVisible, t.browser?.slowVisibleMax)} | ${f(cpu)} |`)
  }
  L.push('')
  // The budget must not delay a page whose value is slow: its route learns that and stops waiting.
  const st = (s) => R.streaming[s]?.identity?.ttfb
  if (st('ours') != null && st('floor') != null) {
    const dt = st('ours') - st('floor')
    const nb = st('ours-nobudget') != null ? `; ours, no budget − floor: ${f(st('ours-nobudget') - st('floor'), 2)} ms` : ''
    L.push(`- stream page TTFB (Streaming above), ours − floor: ${f(dt, 2)} ms → ${dt <= TARGETS.ttfbOverFloorMs ? '✅ meets' : '❌ misses'} (≤ ${TARGETS.ttfbOverFloorMs} ms)${nb}`)
  }
  const lo = R.load.fastslow?.ours, ln = R.load.fastslow?.['ours-nobudget']
  if (lo && ln) {
    L.push(`- the budget under load, ours / ours without it on fastslow: ${rx(ratio(lo.cpuUsPerReq, ln.cpuUsPerReq))} CPU per request, p50 ${f(lo.p50, 0)} vs ${f(ln.p50, 0)} ms, ${int(lo.rps)} vs ${int(ln.rps)} req/s`)
  }
  const fo = R.fastslow?.ours, fn = R.fastslow?.['ours-nobudget']
  if (fo?.browser && fn?.browser) {
    L.push(`- fast value visible in Chromium, ours − ours without the budget: ${f(fo.browser.fastVisible - fn.browser.fastVisible, 0)} ms`)
  }
  L.push('')
}

function renderManyStreams(R, L) {
  const M = R.meta
  const order = serverOrder(R)
  const label = (s) => labelOf(R, s)
  L.push('## Many open streams (hold page)')
  L.push('')
  if (!M.streams) {
    L.push('Not run (--no-manystreams or --streams 0).')
    L.push('')
    return
  }
  L.push(`The hold page defers one value by ${(M.holdMs / 1000).toFixed(0)} s behind \`<Await>\` (the floor: \`<Suspense>\` + \`use()\`), so every request holds its connection, its response and its render state open for that long. Per server, one fresh process: a warm-up of ${M.many.warmup} such requests, 1 s idle, then **${int(M.streams)} requests started at once**, each on its own connection (\`node:http\`, no pooling, \`Connection: close\`), each read to the end. **Complete** = a 200, the whole body, and the deferred value's rendered text in it; **value after shell** = it arrived in a later chunk than the first byte (the shell was streamed, not held back). TTFB = request started → first body byte; value = → the chunk with the deferred value; percentiles over all requests. **Accept-queue drops**: the kernel's \`ListenOverflows\` counter across the batch (all processes): connections dropped because the server's accept queue (Node's default backlog, 511) was full, which the client retries about 1 s later, so they show in TTFB p99. **Peak RSS**: the server's \`VmRSS\` sampled every ${M.many.sampleMs} ms from before the first connection until the last response ended, with the kernel's own high-water mark (\`VmHWM\`, reset just before) beside it as a check on the sampling; **per stream** = (peak − before) ÷ streams. RSS and the open file descriptors (\`/proc/<pid>/fd\`) are read again ${M.many.afterMs / 1000} s after the last response: with every connection closed the count must be back where it started (sockets released), and the RSS shows what the process kept. Figures of a single process, not pooled over rounds.`)
  L.push('')
  L.push(`| server | complete | value after shell | TTFB p50 / p99 ms | value p50 / p99 ms | all done s | accept-queue drops | RSS before MB | peak RSS MB (VmHWM) | per stream KB | RSS ${M.many.afterMs / 1000} s after MB | fds before → peak → after |`)
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
  const mb = (b) => (b == null ? '–' : (b / 1048576).toFixed(1))
  for (const s of order) {
    const m = R.manystreams?.[s]
    if (!m && !MAIN.includes(s)) continue
    if (!m) { L.push(`| ${label(s)} | – | – | – | – | – | – | – | – | – | – | – |`); continue }
    const per = m.rssPeak != null && m.rssBefore != null ? (m.rssPeak - m.rssBefore) / 1024 / m.streams : null
    L.push(`| ${label(s)} | ${m.completed}/${m.streams} | ${m.valueAfterShell}/${m.completed} | ${f(m.ttfbP50, 0)} / ${f(m.ttfbP99, 0)} | ${f(m.valueP50, 0)} / ${f(m.valueP99, 0)} | ${f(m.wallMs / 1000, 2)} | ${m.listenOverflows ?? '–'} | ${mb(m.rssBefore)} | ${mb(m.rssPeak)} (${mb(m.rssHwm)}) | ${f(per, 0)} | ${mb(m.rssAfter)} | ${m.fdsBefore} → ${m.fdsPeak} → ${m.fdsAfter} |`)
  }
  const fl = R.manystreams?.floor, ou = R.manystreams?.ours
  if (fl && ou) {
    L.push('')
    L.push(`- ours / floor: peak RSS ${rx(ratio(ou.rssPeak, fl.rssPeak))}, growth to the peak ${rx(ratio(ou.rssPeak - ou.rssBefore, fl.rssPeak - fl.rssBefore))}, RSS ${M.many.afterMs / 1000} s after ${rx(ratio(ou.rssAfter, fl.rssAfter))}`)
  }
  L.push('')
}
