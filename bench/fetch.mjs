#!/usr/bin/env node
// The Fetch handler (`@paretojs/core/fetch`, the built `<outDir>/server/fetch.js`) beside `pareto start` and the
// floor, in one run: on Node through @remix-run/node-fetch-server and through srvx, and on Bun. Server CPU per
// request, A/B/B/A rounds, each server started afresh per round.
//
//   node fetch.mjs [--rounds N] [--duration S] [--short] [--only a,b] [--scenarios x,y] [--web-floor]
//                  [--variants v,w] [--bun-variants v,w] [--tag T]
//     -> .work/RESULTS.fetch[.T].md (.short.md with --short), raw rounds beside it (.json)
//
// --web-floor adds the floor's pages rendered by React's web renderer into a bare Response on Node and on Bun
// (fetch/web-floor.mjs); --variants runs ablations of the handler on node-fetch-server (--bun-variants: on Bun)
// beside the shipped one (fetch/variants.mjs). Requests carry no Accept-Encoding, as in the main run.
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { BENCH, ROOT, WORK } from './lib/servers.mjs'
import { CLK_TCK, freePort, httpGet, killAllSync, runCmd, sleep, spawnTracked, stopProcess, waitForHttp } from './lib/proc.mjs'
import { measureLoad, measureStreaming, median, warmup } from './lib/load.mjs'

const argv = process.argv.slice(2)
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d }
const list = (n) => opt(n, '').split(',').filter(Boolean)
const SHORT = argv.includes('--short')
const ROUNDS = Number(opt('--rounds', SHORT ? 1 : 4))
const DURATION_S = Number(opt('--duration', SHORT ? 1 : 10))
const WARMUP_S = SHORT ? 0.5 : 2
const STREAM_SAMPLES = SHORT ? 3 : 15

const DIR = path.join(WORK, 'fetch')
const OUT = path.join(DIR, '.pareto')
const CORE_DIR = path.join(ROOT, 'packages', 'core')
const CLI = path.join(CORE_DIR, 'dist', 'cli', 'index.js')
const LOOPBACK = path.join(BENCH, 'lib', 'loopback.cjs')
const BUN = process.env.BUN_PATH ?? path.join(ROOT, 'node_modules', '.cache', 'runtimes', 'bin', 'bun')
const t0 = Date.now()
const log = (...a) => console.log(`[fetch ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s]`, ...a)

// The pages: static (no loader), data (a 10 ms loader), stream (one value deferred 200 ms), seed (the seed page:
// a heading at once, values deferred 100 and 300 ms), api (a route.ts answering JSON).
const ALL_SCENARIOS = [
  { id: 'static', path: '/static', marker: 'Item number 49<', connections: 10 },
  { id: 'data', path: '/data', marker: 'Item number 1049<', connections: 10 },
  { id: 'stream', path: '/stream', marker: 'Item number 2049<', connections: 50 },
  { id: 'seed', path: '/seed', marker: 'Item number 5049<', connections: 50 },
  { id: 'api', path: '/api', marker: '"id":3049', connections: 10 },
]
const SCENARIOS = list('--scenarios').length ? ALL_SCENARIOS.filter((s) => list('--scenarios').includes(s.id)) : ALL_SCENARIOS

const node = (args) => ({ cmd: process.execPath, args })
const nodeFetch = (adapter, variant = 'shipped') => (port) =>
  node([path.join(BENCH, 'fetch', 'node-server.mjs'), '--adapter', adapter, '--out', OUT, '--port', String(port), '--variant', variant, '--core', CORE_DIR])
const bunFetch = (variant = 'shipped') => (port) =>
  ({ cmd: BUN, args: [path.join(BENCH, 'fetch', 'bun-server.mjs'), '--out', OUT, '--port', String(port), '--variant', variant, '--core', CORE_DIR] })

const BASE = [
  { id: 'floor', label: 'floor (node:http + renderToPipeableStream)', sameBytes: false, start: (port) => node([path.join(BENCH, 'floor', 'server.mjs'), '--port', String(port)]) },
  { id: 'start', label: '`pareto start` (Node-native)', start: (port) => node(['--require', LOOPBACK, CLI, 'start', '--port', String(port), '--host', '127.0.0.1']) },
  { id: 'nfs', label: 'fetch.js on Node, @remix-run/node-fetch-server', start: nodeFetch('node-fetch-server') },
  { id: 'srvx', label: 'fetch.js on Node, srvx', start: nodeFetch('srvx') },
  { id: 'bun', label: 'fetch.js on Bun', needsBun: true, start: bunFetch() },
]
const variantServers = list('--variants').map((v) => ({ id: `nfs:${v}`, label: `node-fetch-server, ${v}`, start: nodeFetch('node-fetch-server', v) }))
const bunVariantServers = list('--bun-variants').map((v) => ({ id: `bun:${v}`, label: `Bun, ${v}`, needsBun: true, start: bunFetch(v) }))
// The floor's pages rendered by React's web renderer into a bare Response (fetch/web-floor.mjs), on each runtime.
const WEB_FLOOR = [
  { id: 'webfloor-node', label: 'web floor on Node (renderToReadableStream, node-fetch-server)', sameBytes: false, start: (port) => node([path.join(BENCH, 'fetch', 'web-floor.mjs'), '--port', String(port)]) },
  { id: 'webfloor-bun', label: 'web floor on Bun (renderToReadableStream, Bun.serve)', sameBytes: false, needsBun: true, start: (port) => ({ cmd: BUN, args: [path.join(BENCH, 'fetch', 'web-floor.mjs'), '--port', String(port)] }) },
]
const only = list('--only')
const SERVERS = [
  ...BASE.filter((s) => !only.length || only.includes(s.id)),
  ...WEB_FLOOR.filter((s) => argv.includes('--web-floor') || only.includes(s.id)),
  ...variantServers,
  ...bunVariantServers,
]

/** bench/app-src built with this repo's packages/core: `<outDir>/server/fetch.js` beside what `pareto start` runs. */
async function prepare() {
  if (!fs.existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} not found: \`npm run build\` at the repo root builds it`)
  fs.rmSync(path.join(DIR, 'app'), { recursive: true, force: true })
  fs.mkdirSync(DIR, { recursive: true })
  fs.cpSync(path.join(BENCH, 'app-src', 'app'), path.join(DIR, 'app'), { recursive: true })
  fs.copyFileSync(path.join(BENCH, 'app-src', 'tsconfig.json'), path.join(DIR, 'tsconfig.json'))
  fs.writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({ name: 'pareto-bench-fetch', private: true }, null, 2) + '\n')
  const scope = path.join(DIR, 'node_modules', '@paretojs')
  fs.mkdirSync(scope, { recursive: true })
  fs.rmSync(path.join(scope, 'core'), { recursive: true, force: true })
  fs.symlinkSync(path.relative(scope, CORE_DIR), path.join(scope, 'core'), 'dir')
  const b = await runCmd(process.execPath, [CLI, 'build'], { cwd: DIR, env: { ...process.env, NODE_ENV: 'production' } }, 300_000)
  if (b.code !== 0) throw new Error(`pareto build failed:\n${b.output}`)
  if (!fs.existsSync(path.join(OUT, 'server', 'fetch.js'))) throw new Error(`the build wrote no ${path.relative(ROOT, OUT)}/server/fetch.js:\n${b.output}`)
  const { buildFloorComponents } = await import('./floor/server.mjs')
  await buildFloorComponents()
}

async function start(server, port) {
  const { cmd, args } = server.start(port)
  const t = spawnTracked(cmd, args, { cwd: DIR, env: { ...process.env, NODE_ENV: 'production', PORT: String(port) } })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(url + '/api', t, 30_000)
  } catch (e) {
    await stopProcess(t)
    throw new Error(`${server.id} failed to start: ${e.message}\n${t.output().slice(-1500)}`)
  }
  return { pid: t.child.pid, url, stop: () => stopProcess(t), output: t.output }
}

/** Each scenario answers 200 with its marker; every server but the floor with the very bytes `pareto start` sends. */
async function checkContent(server, url, reference) {
  const problems = []
  for (const sc of SCENARIOS) {
    const r = await httpGet(url + sc.path)
    if (r.status !== 200 || !r.body.includes(sc.marker)) problems.push(`${server.id} ${sc.path}: HTTP ${r.status}, ${r.body.length} bytes, marker ${r.body.includes(sc.marker) ? 'present' : 'missing'}`)
    else if (server.sameBytes !== false && reference[sc.id] !== undefined && r.body !== reference[sc.id]) problems.push(`${server.id} ${sc.path}: ${r.body.length} bytes, not the ${reference[sc.id].length} bytes pareto start sends`)
  }
  return problems
}

async function main() {
  log('building the app …')
  await prepare()
  const bunOk = fs.existsSync(BUN)
  const servers = SERVERS.filter((s) => !s.needsBun || bunOk)
  if (servers.length < SERVERS.length) log(`Bun not found at ${path.relative(ROOT, BUN)} (scripts/ensure-runtimes.sh installs it): its servers are left out`)
  // The reference bytes: pareto start's answer to each scenario.
  const reference = {}
  {
    const h = await start(BASE.find((s) => s.id === 'start'), await freePort())
    try {
      for (const sc of SCENARIOS) reference[sc.id] = (await httpGet(h.url + sc.path)).body
    } finally {
      await h.stop()
    }
  }
  const rows = []
  const timings = []
  const problems = []
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? servers : [...servers].reverse()
    for (const s of order) {
      const h = await start(s, await freePort())
      try {
        problems.push(...(await checkContent(s, h.url, reference)))
        for (const sc of SCENARIOS) {
          const url = h.url + sc.path
          await warmup(url, { connections: sc.connections, seconds: WARMUP_S })
          await sleep(300)
          const m = await measureLoad(h.pid, url, { connections: sc.connections, seconds: DURATION_S })
          if (m.errors || m.timeouts || m.non2xx) problems.push(`${s.id} ${sc.id} round ${r + 1}: ${m.errors + m.timeouts} errors, ${m.non2xx} non-2xx`)
          rows.push({ round: r, server: s.id, scenario: sc.id, ...m })
          log(`round ${r + 1}/${ROUNDS} ${s.id.padEnd(16)} ${sc.id.padEnd(6)} ${m.cpuUsPerReq?.toFixed(1).padStart(7)} µs/req  ${Math.round(m.rps)} req/s  p50 ${m.p50} p99 ${m.p99} ms`)
        }
        if (SCENARIOS.some((sc) => sc.id === 'stream')) {
          const st = await measureStreaming(h.url, { samples: STREAM_SAMPLES })
          timings.push({ round: r, server: s.id, ttfb: st.identity.map((x) => x.ttfb), chunk: st.identity.map((x) => x.chunkDelay) })
        }
      } finally {
        await h.stop()
      }
    }
  }
  const lines = report(servers, rows, timings, problems)
  const out = path.join(WORK, `RESULTS.fetch${opt('--tag', '') ? '.' + opt('--tag') : ''}${SHORT ? '.short' : ''}.md`)
  fs.writeFileSync(out, lines.join('\n'))
  fs.writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify({ servers: servers.map(({ id, label }) => ({ id, label })), rows, timings, problems }, null, 1))
  console.log('\n' + lines.join('\n'))
  log(`wrote ${path.relative(process.cwd(), out)}`)
  return problems.length && SHORT ? 1 : 0
}

/** Pooled CPU per request (Σ ticks / Σ requests) with the per-round range, and each server's ratio to the floor. */
function report(servers, rows, timings, problems) {
  const pooled = (server, scenario) => {
    const rs = rows.filter((x) => x.server === server && x.scenario === scenario)
    if (!rs.length) return null
    const req = rs.reduce((a, x) => a + x.requests, 0)
    const per = rs.map((x) => x.cpuUsPerReq)
    return { cpu: (rs.reduce((a, x) => a + x.cpuTicks, 0) * 1e6) / CLK_TCK / req, min: Math.min(...per), max: Math.max(...per), rps: median(rs.map((x) => x.rps)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)), requests: req }
  }
  const ref = (id) => (servers.some((s) => s.id === id) ? id : null)
  const floor = ref('floor')
  const startId = ref('start')
  const lines = [
    '# The Fetch handler beside `pareto start` and the floor',
    '',
    `${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}, Node ${process.version}${servers.some((s) => s.needsBun) ? `, ${bunVersion()}` : ''}, ${ROUNDS} round(s) of ${DURATION_S} s per server and scenario (A/B/B/A, each server started afresh per round), no Accept-Encoding; 10 connections (static, data, api), 50 (stream, seed).`,
    '',
    'Server CPU per request, µs (pooled over rounds; per-round range below it); × floor, × `pareto start`.',
    '',
    `| server | ${SCENARIOS.map((s) => s.id).join(' | ')} |`,
    `|---|${SCENARIOS.map(() => '---:').join('|')}|`,
  ]
  for (const s of servers) {
    const cells = SCENARIOS.map((sc) => {
      const p = pooled(s.id, sc.id)
      if (!p) return '–'
      const f = floor && pooled(floor, sc.id)
      const o = startId && pooled(startId, sc.id)
      const ratios = [f && s.id !== floor ? `${(p.cpu / f.cpu).toFixed(2)}× floor` : null, o && s.id !== startId && s.id !== floor ? `${(p.cpu / o.cpu).toFixed(2)}× start` : null].filter(Boolean)
      return `**${p.cpu.toFixed(1)}** (${p.min.toFixed(0)}–${p.max.toFixed(0)})${ratios.length ? '<br>' + ratios.join(', ') : ''}`
    })
    lines.push(`| ${s.label} | ${cells.join(' | ')} |`)
  }
  lines.push('', 'req/s (median over rounds), p50 / p99 latency ms:', '', `| server | ${SCENARIOS.map((s) => s.id).join(' | ')} |`, `|---|${SCENARIOS.map(() => '---:').join('|')}|`)
  for (const s of servers) {
    lines.push(`| ${s.label} | ${SCENARIOS.map((sc) => { const p = pooled(s.id, sc.id); return p ? `${Math.round(p.rps)}, ${p.p50} / ${p.p99}` : '–' }).join(' | ')} |`)
  }
  if (timings.length) {
    lines.push('', 'Stream page on an idle server (one request at a time, fresh connection): TTFB and chunk delay (deferred chunk − TTFB − 200 ms), medians, ms:', '', '| server | TTFB | chunk delay |', '|---|---:|---:|')
    for (const s of servers) {
      const t = timings.filter((x) => x.server === s.id)
      if (t.length) lines.push(`| ${s.label} | ${median(t.flatMap((x) => x.ttfb))?.toFixed(2)} | ${median(t.flatMap((x) => x.chunk))?.toFixed(2)} |`)
    }
  }
  if (problems.length) lines.push('', 'Problems:', ...problems.map((p) => `- ${p}`))
  lines.push('')
  return lines
}

function bunVersion() {
  try { return `Bun ${execFileSync(BUN, ['--version'], { encoding: 'utf8' }).trim()}` } catch { return 'Bun ?' }
}

main().then(
  (code) => { killAllSync(); process.exit(code) },
  (e) => { console.error(e); killAllSync(); process.exit(1) },
)
