#!/usr/bin/env node
// Static pages: one page built by `pareto build` (config = { render: 'static' }) and served by `pareto start`,
// beside the very same file served by sirv alone (the limit). Server CPU per request, A/B/B/A rounds.
//
//   node static.mjs [--rounds N] [--duration S] [--short]   -> .work/RESULTS.static.md
//
// The page is the data scenario's (a loader, ~50 items) made static; requests carry no Accept-Encoding, as in
// the main run, so neither server compresses. Target: ours <= 1.2 x sirv.
import fs from 'node:fs'
import path from 'node:path'
import { BENCH, ROOT, WORK } from './lib/servers.mjs'
import { CLK_TCK, freePort, httpGet, killAllSync, runCmd, sleep, spawnTracked, stopProcess, waitForHttp } from './lib/proc.mjs'
import { measureLoad, median, warmup } from './lib/load.mjs'

const argv = process.argv.slice(2)
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d }
const SHORT = argv.includes('--short')
const ROUNDS = Number(opt('--rounds', SHORT ? 1 : 4))
const DURATION_S = Number(opt('--duration', SHORT ? 1 : 10))
const WARMUP_S = SHORT ? 0.5 : 2
const CONNECTIONS = 10
const TARGET = 1.2
const PATH = '/prerendered'
const MARKER = 'Item number 1049<'

const DIR = path.join(WORK, 'static-pages')
const CORE_DIR = path.join(ROOT, 'packages', 'core')
const CLI = path.join(CORE_DIR, 'dist', 'cli', 'index.js')
const LOOPBACK = path.join(BENCH, 'lib', 'loopback.cjs')
const t0 = Date.now()
const log = (...a) => console.log(`[static ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s]`, ...a)

/** bench/app-src with the data page made static, built with this repo's packages/core. */
async function prepare() {
  if (!fs.existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} not found: \`npm run build\` at the repo root builds it`)
  fs.rmSync(path.join(DIR, 'app'), { recursive: true, force: true })
  fs.mkdirSync(DIR, { recursive: true })
  fs.cpSync(path.join(BENCH, 'app-src', 'app'), path.join(DIR, 'app'), { recursive: true })
  fs.copyFileSync(path.join(BENCH, 'app-src', 'tsconfig.json'), path.join(DIR, 'tsconfig.json'))
  const data = fs.readFileSync(path.join(DIR, 'app', 'data', 'page.tsx'), 'utf8')
  fs.mkdirSync(path.join(DIR, 'app', 'prerendered'))
  fs.writeFileSync(
    path.join(DIR, 'app', 'prerendered', 'page.tsx'),
    data + "\nexport const config = { render: 'static' }\n",
  )
  fs.writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({ name: 'pareto-bench-static', private: true }, null, 2) + '\n')
  const scope = path.join(DIR, 'node_modules', '@paretojs')
  fs.mkdirSync(scope, { recursive: true })
  fs.rmSync(path.join(scope, 'core'), { recursive: true, force: true })
  fs.symlinkSync(path.relative(scope, CORE_DIR), path.join(scope, 'core'), 'dir')
  const b = await runCmd(process.execPath, [CLI, 'build'], { cwd: DIR, env: { ...process.env, NODE_ENV: 'production' } }, 300_000)
  if (b.code !== 0) throw new Error(`pareto build failed:\n${b.output}`)
  const file = path.join(DIR, '.pareto', 'static', 'prerendered', 'index.html')
  if (!fs.existsSync(file)) throw new Error(`the build wrote no ${path.relative(ROOT, file)}:\n${b.output}`)
  return fs.readFileSync(file)
}

const SERVERS = [
  {
    id: 'sirv',
    label: 'sirv alone (the limit)',
    args: (port) => [path.join(BENCH, 'static', 'sirv-server.mjs'), '--port', String(port), '--dir', path.join(DIR, '.pareto', 'static')],
  },
  {
    id: 'ours',
    label: 'ours (pareto start)',
    args: (port) => ['--require', LOOPBACK, CLI, 'start', '--port', String(port), '--host', '127.0.0.1'],
  },
]

async function start(server, port) {
  const t = spawnTracked(process.execPath, server.args(port), { cwd: DIR, env: { ...process.env, NODE_ENV: 'production', PORT: String(port) } })
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(url + PATH, t, 30_000)
  return { pid: t.child.pid, url, stop: () => stopProcess(t) }
}

async function main() {
  log('building the app …')
  const html = await prepare()
  const rounds = []
  const problems = []
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? SERVERS : [...SERVERS].reverse()
    for (const s of order) {
      const port = await freePort()
      const h = await start(s, port)
      try {
        const res = await httpGet(h.url + PATH)
        if (res.status !== 200 || !res.body.includes(MARKER) || res.body !== html.toString()) {
          problems.push(`${s.id}: ${PATH} answered ${res.status}, ${res.body.length} bytes, not the built file`)
        }
        await warmup(h.url + PATH, { connections: CONNECTIONS, seconds: WARMUP_S })
        await sleep(300)
        const m = await measureLoad(h.pid, h.url + PATH, { connections: CONNECTIONS, seconds: DURATION_S })
        if (m.errors || m.timeouts || m.non2xx) problems.push(`${s.id} round ${r + 1}: ${m.errors + m.timeouts} errors, ${m.non2xx} non-2xx`)
        rounds.push({ round: r, server: s.id, ...m })
        log(`round ${r + 1}/${ROUNDS} ${s.id.padEnd(5)} ${m.cpuUsPerReq?.toFixed(1).padStart(7)} µs/req  ${Math.round(m.rps)} req/s  p50 ${m.p50} p99 ${m.p99} ms`)
      } finally {
        await h.stop()
      }
    }
  }
  const pooled = Object.fromEntries(
    SERVERS.map((s) => {
      const rs = rounds.filter((x) => x.server === s.id)
      const req = rs.reduce((a, x) => a + x.requests, 0)
      const ticks = rs.reduce((a, x) => a + x.cpuTicks, 0)
      const per = rs.map((x) => x.cpuUsPerReq)
      return [s.id, { cpu: (ticks * 1e6) / CLK_TCK / req, min: Math.min(...per), max: Math.max(...per), rps: median(rs.map((x) => x.rps)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)), requests: req }]
    }),
  )
  const ratio = pooled.ours.cpu / pooled.sirv.cpu
  const lines = [
    `# Static pages: pareto start beside sirv alone`,
    '',
    `${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}, Node ${process.version}, ${ROUNDS} round(s) of ${DURATION_S} s per server (A/B/B/A), ${CONNECTIONS} connections, no Accept-Encoding; GET ${PATH} (${html.length} B of HTML, the data page built with config = { render: 'static' }).`,
    '',
    '| server | CPU µs/req (pooled) | per round | req/s | p50 ms | p99 ms | requests |',
    '|---|---:|---|---:|---:|---:|---:|',
    ...SERVERS.map((s) => {
      const p = pooled[s.id]
      return `| ${s.label} | ${p.cpu.toFixed(1)} | ${p.min.toFixed(1)}–${p.max.toFixed(1)} | ${Math.round(p.rps)} | ${p.p50} | ${p.p99} | ${p.requests} |`
    }),
    '',
    `ours / sirv: **${ratio.toFixed(2)}×** (target ≤ ${TARGET}×: ${ratio <= TARGET ? 'met' : 'NOT met'})`,
    ...(problems.length ? ['', 'Problems:', ...problems.map((p) => `- ${p}`)] : []),
    '',
  ]
  const out = path.join(WORK, SHORT ? 'RESULTS.static.short.md' : 'RESULTS.static.md')
  fs.writeFileSync(out, lines.join('\n'))
  console.log('\n' + lines.join('\n'))
  log(`wrote ${path.relative(process.cwd(), out)}`)
  return problems.length && SHORT ? 1 : 0
}

main().then(
  (code) => { killAllSync(); process.exit(code) },
  (e) => { console.error(e); killAllSync(); process.exit(1) },
)
