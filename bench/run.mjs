#!/usr/bin/env node
// Pareto benchmark runner. See README.md.
//
//   node run.mjs                 full run  -> RESULTS.md + results.svg
//   node run.mjs --short         smoke run -> .work/RESULTS.short.md; exit 1 if
//                                any available server had errors / non-2xx
// Options: --rounds N  --duration S  --only floor,anchor,ours,ours-nobudget[,ours-semiN…]
//          --no-memory --no-client --mem-requests N  --streams N  --no-manystreams
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { ALL, DEFAULT, BENCH, WORK, selectServers } from './lib/servers.mjs'
import { CLK_TCK, freePort, sleep, treeRss, killAllSync } from './lib/proc.mjs'
import { SCENARIOS, NARROWED, SEED, FASTSLOW, checkContent, warmup, measureLoad, measureStreaming, measureFastSlow, median, requestOf, servesScenario } from './lib/load.mjs'
import { floorClientWeight, pageClientWeight, timeVisible, chromiumAvailable, closeBrowser, CHROMIUM } from './lib/client-weight.mjs'
import { measureManyStreams, HOLD, MANY } from './lib/many-streams.mjs'
import { renderMarkdown, renderSvg } from './lib/report.mjs'

const argv = process.argv.slice(2)
const flag = (n) => argv.includes(n)
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d }

const SHORT = flag('--short')
const CFG = {
  // 4 rounds (A/B/B/A twice): one fresh process per server per round, and processes of the same server
  // differ by up to ~30 % on stream (see README, Noise).
  rounds: Number(opt('--rounds', SHORT ? 1 : 4)),
  durationS: Number(opt('--duration', SHORT ? 1 : 10)),
  warmupS: SHORT ? 0.5 : 2,
  connections: 10,
  streamConnections: 50, // stream is latency-bound (200 ms): more connections for enough samples
  ttfbSamples: SHORT ? 5 : 25,
  browserLoads: SHORT ? 2 : 5, // fastslow page loads in Chromium per server per round
  memRequests: Number(opt('--mem-requests', SHORT ? 2000 : 100_000)),
  memConnections: SHORT ? 50 : 200,
  memMaxS: SHORT ? 30 : 300,
  memory: !flag('--no-memory'),
  client: !flag('--no-client'),
  // Many open streams: this many requests of the hold page at once, per server (0 or --no-manystreams: none).
  streams: Number(opt('--streams', SHORT ? 100 : 1000)),
  manystreams: !flag('--no-manystreams'),
  only: opt('--only', DEFAULT.map((s) => s.id).join(',')).split(','),
}
CFG.manystreams &&= CFG.streams > 0
const FULL_STREAMS = 1000
// Hard cap on the whole run (bounded in time no matter what); each ours-semiN adds ~1 min per round.
const GLOBAL_TIMEOUT_MS = (SHORT ? 15 : 75) * 60_000
const globalTimer = setTimeout(() => { console.error('[bench] global timeout hit, aborting'); killAllSync(); process.exit(2) }, GLOBAL_TIMEOUT_MS)
globalTimer.unref()

const t0 = Date.now()
const log = (...a) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s]`, ...a)

const R = { meta: {}, servers: {}, load: {}, rawRounds: [], streaming: {}, fastslow: {}, client: {}, memory: {}, manystreams: {}, problems: [] }
const errorsSeen = [] // for --short exit code

function pkgVersion(name) {
  try { return JSON.parse(fs.readFileSync(createRequire(path.join(BENCH, 'x.js')).resolve(`${name}/package.json`), 'utf8')).version } catch { return '?' }
}
function chromiumVersion() {
  try { return execFileSync(CHROMIUM, ['--version'], { timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().replace(/^Chromium\s+/, '').split(/\s/)[0] } catch { return 'not found' }
}

// A variant server (s.scenarios) runs only its own scenarios; the rest run all they have an endpoint for.
const scenariosOf = (s) => SCENARIOS.filter((sc) => (!s.scenarios || s.scenarios.includes(sc.id)) && servesScenario(sc, s.id))
const manyStreamsOn = (s) => CFG.manystreams && (!s.scenarios || s.scenarios.includes('manystreams'))
const connectionsOf = (sc) => (sc.latencyBound ? CFG.streamConnections : CFG.connections)
const FASTSLOW_ON = SCENARIOS.some((sc) => sc.id === 'fastslow')

async function main() {
  fs.mkdirSync(WORK, { recursive: true })
  const { picked: servers, unknown } = selectServers(CFG.only)
  if (unknown.length) throw new Error(`--only: unknown server(s) ${unknown.join(', ')} (known: ${ALL.map((s) => s.id).join(', ')}, ours-semiN)`)

  // ---------------------------------------------------------------- prepare
  for (const s of [...DEFAULT, ...servers.filter((x) => !DEFAULT.includes(x))]) {
    if (!servers.includes(s)) { R.servers[s.id] = { available: false, reason: 'skipped (--only)', label: s.label }; continue }
    if (!scenariosOf(s).length && !manyStreamsOn(s)) { R.servers[s.id] = { available: false, reason: `skipped (none of ${s.scenarios.join(', ')} in BENCH_SCENARIOS)`, label: s.label }; continue }
    log(`preparing ${s.id} …`)
    try {
      R.servers[s.id] = await s.prepare(log)
    } catch (e) {
      R.servers[s.id] = { available: false, reason: `prepare threw: ${e.message}` }
    }
    const r = R.servers[s.id]
    r.label = s.label
    log(r.available ? `${s.id}: ${r.version}` : `${s.id}: not available (${r.reason})`)
    if (r.broken) {
      R.problems.push(`${s.label} does not build the bench app: ${r.reason}`)
      errorsSeen.push(`${s.label} build`)
    }
  }
  let floorClient = null
  try { floorClient = await floorClientWeight() } catch (e) { R.problems.push(`floor client bundle: ${e.message}`) }
  if (!R.servers.floor.available) {
    R.problems.push('floor is not available — nothing to compare against')
    errorsSeen.push('floor not available')
  }

  // Content check once per server before any load: a 200 with the wrong body is an error.
  let active = servers.filter((s) => R.servers[s.id].available)
  for (const s of [...active]) {
    const port = await freePort()
    let h
    try {
      h = await s.start(port, log)
      const problems = await checkContent(h.url, [...SCENARIOS.filter((sc) => servesScenario(sc, s.id)), SEED])
      if (problems.length) {
        R.problems.push(`${s.label}: content check failed: ${problems.join('; ')}`)
        errorsSeen.push(`${s.label} content`)
      }
    } catch (e) {
      R.servers[s.id] = { ...R.servers[s.id], available: false, reason: e.message.split('\n')[0] }
      R.problems.push(`${s.label}: ${e.message}`)
      if (!s.optional) errorsSeen.push(`${s.label} start`)
      active = active.filter((x) => x !== s)
    } finally {
      await h?.stop()
    }
  }

  // ---------------------------------------------------------------- rounds (A/B/B/A)
  const canBrowse = CFG.client && chromiumAvailable()
  if (CFG.client && !canBrowse) R.problems.push(`client weight and fastslow in Chromium skipped: ${CHROMIUM} not found`)
  const orders = []
  const rounds = []
  const ttfbSamples = Object.fromEntries(active.map((s) => [s.id, { identity: [], gzip: [] }]))
  const fastslowSamples = Object.fromEntries(active.map((s) => [s.id, { http: [], browser: [] }]))
  for (let r = 0; r < CFG.rounds; r++) {
    const order = r % 2 === 0 ? [...active] : [...active].reverse()
    orders.push(order.map((s) => s.id))
    for (const s of order) {
      const port = await freePort()
      log(`round ${r + 1}/${CFG.rounds}: ${s.label} on :${port}`)
      let h
      try {
        h = await s.start(port, log)
        for (const sc of scenariosOf(s)) await warmup(h.url + sc.path, { connections: connectionsOf(sc), seconds: CFG.warmupS, request: requestOf(sc, h.url) })
        await sleep(300)
        for (const sc of scenariosOf(s)) {
          const m = await measureLoad(h.pid, h.url + sc.path, { connections: connectionsOf(sc), seconds: CFG.durationS, request: requestOf(sc, h.url) })
          rounds.push({ round: r, server: s.id, scenario: sc.id, ...m })
          log(`  ${sc.id.padEnd(12)} ${m.cpuUsPerReq?.toFixed(1).padStart(8)} µs/req  ${Math.round(m.rps).toString().padStart(6)} req/s  p50 ${m.p50} p99 ${m.p99} ms  err ${m.errors + m.timeouts} non2xx ${m.non2xx}`)
          await sleep(300)
        }
        // Streaming timings on the now-idle server.
        await sleep(500)
        const st = await measureStreaming(h.url, { samples: CFG.ttfbSamples })
        ttfbSamples[s.id].identity.push(...st.identity)
        ttfbSamples[s.id].gzip.push(...st.gzip)
        if (FASTSLOW_ON) {
          const fsx = await measureFastSlow(h.url, { samples: CFG.ttfbSamples })
          fastslowSamples[s.id].http.push(...fsx)
          // The floor's client entry hydrates a placeholder tree (it exists for weight): stubbed, or it would replace the page.
          const stub = s.id === 'floor' ? ['/floor-client.js'] : []
          const sels = { fast: FASTSLOW.fast.selector, slow: FASTSLOW.slow.selector }
          const b = canBrowse ? await timeVisible(h.url + FASTSLOW.path, sels, { loads: CFG.browserLoads, stub }) : []
          fastslowSamples[s.id].browser.push(...b)
          const ms = (xs) => median(xs)?.toFixed(1) ?? '–'
          log(`  fastslow: TTFB ${ms(fsx.map((x) => x.ttfb))}  fast ${ms(fsx.map((x) => x.fastAt))}  fallback ${fsx.filter((x) => x.fastFallback).length}/${fsx.length}  slow ${ms(fsx.map((x) => x.slowAt))} ms${b.length ? `  visible in Chromium ${ms(b.map((x) => x.at.fast))}` : ''}`)
        }
      } catch (e) {
        R.problems.push(`${s.label} round ${r + 1}: ${e.message}`)
        errorsSeen.push(`${s.label} round ${r + 1}`)
        log(`  ${s.label} failed: ${e.message.split('\n')[0]}`)
      } finally {
        await h?.stop()
      }
    }
  }
  R.rawRounds = rounds
  for (const sc of SCENARIOS) {
    R.load[sc.id] = {}
    for (const s of active) {
      const rs = rounds.filter((x) => x.server === s.id && x.scenario === sc.id)
      if (!rs.length) continue
      const req = rs.reduce((a, x) => a + x.requests, 0)
      const ticks = rs.reduce((a, x) => a + x.cpuTicks, 0)
      const per = rs.map((x) => x.cpuUsPerReq).filter((x) => x != null)
      R.load[sc.id][s.id] = {
        requests: req,
        cpuUsPerReq: req ? (ticks * 1e6) / CLK_TCK / req : null,
        cpuMin: Math.min(...per),
        cpuMax: Math.max(...per),
        rps: median(rs.map((x) => x.rps)),
        p50: median(rs.map((x) => x.p50)),
        p99: median(rs.map((x) => x.p99)),
        errors: rs.reduce((a, x) => a + x.errors + x.timeouts, 0),
        non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
      }
      const L = R.load[sc.id][s.id]
      if (L.errors || L.non2xx) errorsSeen.push(`${s.label} ${sc.id}: ${L.errors} errors, ${L.non2xx} non-2xx`)
    }
  }
  for (const s of active) {
    const agg = (xs) => ({
      ttfb: median(xs.map((x) => x.ttfb)),
      chunkDelay: median(xs.map((x) => x.chunkDelay)),
      total: median(xs.map((x) => x.total)),
      encoding: [...new Set(xs.map((x) => x.encoding))].join('/'),
      n: xs.length,
      non200: xs.filter((x) => x.status !== 200).length,
      markerMissing: xs.filter((x) => x.markerAt == null).length,
    })
    const t = ttfbSamples[s.id]
    if (!t.identity.length) continue
    R.streaming[s.id] = { identity: agg(t.identity), gzip: agg(t.gzip) }
    for (const k of ['identity', 'gzip']) {
      const a = R.streaming[s.id][k]
      if (a.non200 || a.markerMissing) {
        R.problems.push(`${s.label} streaming (${k}): ${a.non200} non-200, ${a.markerMissing} without deferred data`)
        errorsSeen.push(`${s.label} streaming ${k}`)
      }
    }
  }

  for (const s of active) {
    const { http: xs, browser: bs } = fastslowSamples[s.id]
    if (!xs.length) continue
    const count = (p) => xs.filter(p).length
    const errors = [...new Set(bs.flatMap((b) => b.errors))]
    R.fastslow[s.id] = {
      n: xs.length,
      ttfb: median(xs.map((x) => x.ttfb)),
      fastAt: median(xs.map((x) => x.fastAt)),
      slowAt: median(xs.map((x) => x.slowAt)),
      fastFallback: count((x) => x.fastFallback),
      slowFallback: count((x) => x.slowFallback),
      fastInFirstChunk: count((x) => x.fastAt != null && x.fastAt === x.ttfb),
      browser: bs.length
        ? {
            n: bs.length,
            fastVisible: median(bs.map((b) => b.at.fast)),
            fastVisibleMax: Math.max(...bs.map((b) => b.at.fast ?? Infinity)),
            slowVisible: median(bs.map((b) => b.at.slow)),
            slowVisibleMax: Math.max(...bs.map((b) => b.at.slow ?? Infinity)),
            notVisible: bs.filter((b) => b.at.fast == null || b.at.slow == null).length,
            errors,
          }
        : null,
    }
    // Wrong content fails a short run; which side of the budget a value lands on is timing, never a failure.
    const bad = [
      [count((x) => x.status !== 200), 'non-200'],
      [count((x) => x.status === 200 && !x.html), 'not an HTML document'],
      [count((x) => x.fastAt == null), 'without the fast value'],
      [count((x) => x.slowAt == null), 'without the slow value'],
    ].filter(([k]) => k > 0)
    if (bad.length) {
      R.problems.push(`${s.label} fastslow: ${bad.map(([k, what]) => `${k}/${xs.length} ${what}`).join(', ')}`)
      errorsSeen.push(`${s.label} fastslow content`)
    }
    const nv = R.fastslow[s.id].browser?.notVisible
    if (nv || errors.length) {
      R.problems.push(`${s.label} fastslow page in Chromium: ${nv ? `${nv}/${bs.length} loads without both values shown; ` : ''}${errors.join('; ') || 'no errors'}`)
      errorsSeen.push(`${s.label} fastslow in Chromium`)
    }
  }

  // ---------------------------------------------------------------- memory + client weight
  if (floorClient) R.client.floor = floorClient
  for (const s of active) {
    if (s.scenarios) continue // a variant is measured on its own scenarios only
    if (!CFG.memory && !(canBrowse && s.id !== 'floor')) continue
    const port = await freePort()
    log(`memory/client: ${s.label} on :${port}`)
    let h
    try {
      h = await s.start(port, log)
      if (CFG.memory) {
        for (const sc of scenariosOf(s)) await warmup(h.url + sc.path, { connections: connectionsOf(sc), seconds: CFG.warmupS, request: requestOf(sc, h.url) })
        await sleep(1000)
        const rssWarm = treeRss(h.pid)
        const m = await measureLoad(h.pid, h.url + '/stream', { connections: CFG.memConnections, amount: CFG.memRequests, maxSeconds: CFG.memMaxS })
        await sleep(1000)
        const rssAfter = treeRss(h.pid)
        R.memory[s.id] = { rssWarm, rssAfter, requests: m.requests, rps: m.rps, errors: m.errors + m.timeouts, non2xx: m.non2xx, cpuUsPerReq: m.cpuUsPerReq }
        log(`  RSS ${(rssWarm / 1048576).toFixed(1)} MB -> ${(rssAfter / 1048576).toFixed(1)} MB after ${m.requests} stream requests (${Math.round(m.rps)} req/s)`)
        if (m.errors + m.timeouts || m.non2xx) errorsSeen.push(`${s.label} memory soak: ${m.errors + m.timeouts} errors, ${m.non2xx} non-2xx`)
      }
      if (canBrowse && s.id !== 'floor') {
        try {
          const c = await pageClientWeight(h.url + SEED.path, { marker: SEED.marker })
          R.client[s.id] = c
          log(`  client JS ${(c.gz / 1024).toFixed(1)} KB gz in ${c.scripts.length} scripts; deferred content shown: ${c.contentVisible}; errors ${c.errors.length}`)
          if (c.errors.length || c.contentVisible === false) {
            R.problems.push(`${s.label} seed page in Chromium: ${c.contentVisible === false ? 'deferred content NOT shown; ' : ''}${c.errors.join('; ') || 'no errors'}`)
            errorsSeen.push(`${s.label} client page errors`)
          }
        } catch (e) {
          R.client[s.id] = { error: e.message.split('\n')[0] }
          R.problems.push(`${s.label} client weight: ${e.message.split('\n')[0]}`)
          errorsSeen.push(`${s.label} client weight`)
        }
      }
    } catch (e) {
      R.problems.push(`${s.label} memory/client: ${e.message}`)
      errorsSeen.push(`${s.label} memory/client`)
    } finally {
      await h?.stop()
    }
  }
  await closeBrowser()

  // ---------------------------------------------------------------- many open streams
  for (const s of active) {
    if (!manyStreamsOn(s)) continue
    const port = await freePort()
    log(`many streams: ${s.label} on :${port}, ${CFG.streams} at once`)
    let h
    try {
      h = await s.start(port, log) // fresh: nothing before it but the warm-up batch
      const m = await measureManyStreams(h.pid, h.url, { streams: CFG.streams })
      R.manystreams[s.id] = m
      const mb = (b) => (b == null ? '–' : (b / 1048576).toFixed(1))
      const ms = (x) => (x == null ? '–' : x.toFixed(0))
      log(`  ${m.completed}/${m.streams} complete in ${(m.wallMs / 1000).toFixed(2)} s; TTFB p50 ${ms(m.ttfbP50)} p99 ${ms(m.ttfbP99)} ms; value p50 ${ms(m.valueP50)} p99 ${ms(m.valueP99)} ms; accept-queue drops ${m.listenOverflows ?? '–'}; RSS ${mb(m.rssBefore)} -> peak ${mb(m.rssPeak)} -> ${mb(m.rssAfter)} MB ${m.afterMs / 1000} s after; fds ${m.fdsBefore} -> ${m.fdsPeak} -> ${m.fdsAfter}`)
      if (m.completed < m.streams) {
        const why = Object.entries(m.errors).map(([k, n]) => `${n}× ${k}`).join(', ')
        R.problems.push(`${s.label} many streams: ${m.streams - m.completed}/${m.streams} did not complete with a 200 and the deferred value (${why || 'no error seen'})`)
        errorsSeen.push(`${s.label} many streams`)
      }
      if (m.warmFailed) {
        R.problems.push(`${s.label} many streams: ${m.warmFailed} warm-up request(s) failed`)
        errorsSeen.push(`${s.label} many streams warm-up`)
      }
      // Reported, not failed on: whether sockets linger is what the table shows.
      if (m.socketsAfter > m.socketsBefore) R.problems.push(`${s.label} many streams: ${m.socketsAfter - m.socketsBefore} socket(s) still open ${m.afterMs / 1000} s after the last response (${m.socketsBefore} before)`)
    } catch (e) {
      R.problems.push(`${s.label} many streams: ${e.message}`)
      errorsSeen.push(`${s.label} many streams`)
      log(`  ${s.label} failed: ${e.message.split('\n')[0]}`)
    } finally {
      await h?.stop()
    }
  }

  // ---------------------------------------------------------------- report
  R.meta = {
    date: new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
    mode: SHORT ? 'short' : 'full',
    short: SHORT,
    node: process.version,
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? '?',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    clkTck: CLK_TCK,
    autocannon: pkgVersion('autocannon'),
    playwright: pkgVersion('playwright-core'),
    chromium: chromiumVersion(),
    rounds: CFG.rounds,
    orders,
    durationS: CFG.durationS,
    warmupS: CFG.warmupS,
    connections: CFG.connections,
    streamConnections: CFG.streamConnections,
    ttfbSamples: CFG.ttfbSamples,
    browserLoads: canBrowse ? CFG.browserLoads : 0,
    scenarios: SCENARIOS.map((sc) => sc.id),
    memRequests: CFG.memRequests,
    memConnections: CFG.memConnections,
    memMaxS: CFG.memMaxS,
    streams: CFG.manystreams ? CFG.streams : 0,
    holdMs: HOLD.delayMs,
    many: MANY,
    elapsedS: Math.round((Date.now() - t0) / 1000),
  }
  // Only a complete full run may overwrite bench/RESULTS.md; short and partial
  // runs (--only without a default server, --no-*, --rounds 0, --streams other than 1000, BENCH_SCENARIOS)
  // go to bench/.work/; extra servers (ours-semiN) beside all the default ones still make a full run.
  const PARTIAL = !SHORT && (DEFAULT.some((s) => !CFG.only.includes(s.id)) || NARROWED || !CFG.memory || !CFG.client || CFG.rounds < 1 || !CFG.manystreams || CFG.streams !== FULL_STREAMS)
  const kind = SHORT ? 'short' : PARTIAL ? 'partial' : null
  R.meta.mode = kind ?? 'full'
  const mdPath = kind ? path.join(WORK, `RESULTS.${kind}.md`) : path.join(BENCH, 'RESULTS.md')
  const svgPath = kind ? path.join(WORK, `results.${kind}.svg`) : path.join(BENCH, 'results.svg')
  fs.writeFileSync(svgPath, renderSvg(R))
  fs.writeFileSync(mdPath, renderMarkdown(R, { svgName: path.basename(svgPath), readme: kind ? '../README.md' : 'README.md' }))
  fs.writeFileSync(path.join(WORK, kind ? `results.${kind}.json` : 'results.json'), JSON.stringify(R, null, 2))
  log(`wrote ${path.relative(process.cwd(), mdPath)} and ${path.relative(process.cwd(), svgPath)} (${R.meta.elapsedS} s)`)
  if (R.problems.length) log(`problems:\n  - ${R.problems.join('\n  - ')}`)
  if (SHORT && errorsSeen.length) {
    console.error(`[bench] short mode FAILED: ${errorsSeen.join('; ')}`)
    return 1
  }
  return 0
}

main().then(
  (code) => { killAllSync(); process.exit(code) },
  (e) => { console.error(e); killAllSync(); process.exit(1) },
)
