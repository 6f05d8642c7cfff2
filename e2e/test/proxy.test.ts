// Pareto behind a real reverse proxy: Debian's nginx, run as the current user from a temp dir, in front of two
// `pareto start` instances of the basic fixture. The nginx block comes from packages/core/docs/deployment.md
// ("Behind nginx"), so the documented configuration is the tested one; scripts/ensure-nginx.sh installs nginx.
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { delimiter, isAbsolute, join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixture } from '../helpers/fixtures.js'
import { FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { freePort, spawnServer, waitFor } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

const DEPLOYMENT_DOC = join(REPO_DIR, 'packages/core/docs/deployment.md')
const SHELL = '<h1>42<!-- --> items</h1>'
const CHART = '<div id="chart">3,1,4,1,5</div>'

/** nginx from PATH, or where Debian's package puts it (outside a non-root user's PATH). */
function findNginx(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(isAbsolute), '/usr/sbin']
  const found = dirs.map((d) => join(d, 'nginx')).find((f) => existsSync(f))
  if (!found) throw new Error('nginx is not installed: run scripts/ensure-nginx.sh (npm test runs it first).')
  return found
}

/** The version `nginx -v` prints, as [major, minor, patch]. */
function nginxVersion(bin: string): [number, number, number] {
  const out = spawnSync(bin, ['-v'], { encoding: 'utf8' })
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(out.stderr + out.stdout)
  if (!m) throw new Error(`cannot read the version from \`nginx -v\`: ${out.stderr}${out.stdout}`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

/** A fenced block of deployment.md: the first with this language whose text includes `marker`. */
function docBlock(lang: string, marker: string): string {
  const doc = readFileSync(DEPLOYMENT_DOC, 'utf8')
  for (const m of doc.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))) {
    if (m[1]!.includes(marker)) return m[1]!
  }
  throw new Error(`deployment.md has no \`\`\`${lang} block with ${marker}: update proxy.test.ts with the doc`)
}

/** Replaces `from` (which must occur exactly once) with `to`, so a changed doc fails loudly here. */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from)
  if (parts.length !== 2) throw new Error(`deployment.md's nginx block must have "${from}" exactly once`)
  return parts.join(to)
}

/** One line of the access log: when the request ended (ms since the epoch), and which instances nginx tried. */
interface LogEntry {
  at: number
  status: number
  method: string
  uri: string
  /** Every instance nginx tried, in order ("127.0.0.1:3000"); more than one means it retried. */
  upstreams: string[]
}

const LOG_FORMAT = `'$msec $status $request_method $request_uri "$upstream_addr"'`

function parseLogLine(line: string): LogEntry {
  const m = /^(\S+) (\d+) (\S+) (\S+) "([^"]*)"$/.exec(line)
  if (!m) throw new Error(`unexpected access log line: ${line}`)
  return { at: Number(m[1]) * 1000, status: Number(m[2]), method: m[3]!, uri: m[4]!, upstreams: m[5]!.split(', ') }
}

/** A running nginx with its prefix dir (config, pid, logs, temp files). */
interface Nginx {
  url: string
  dir: string
  proc: ChildProcess
  /** The access log so far, one entry per request. */
  accessLog: () => LogEntry[]
  errorLog: () => string
  stop: () => Promise<void>
}

/** Starts nginx in the foreground with deployment.md's block in front of `upstreams` (its two server lines). */
async function startNginx(bin: string, upstreams: [number, number]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-nginx-'))
  const port = await freePort()
  let site = docBlock('nginx', 'upstream pareto')
  site = replaceOnce(site, 'server 127.0.0.1:3000;', `server 127.0.0.1:${upstreams[0]};`)
  site = replaceOnce(site, 'server 127.0.0.1:3001;', `server 127.0.0.1:${upstreams[1]};`)
  site = replaceOnce(site, 'listen 80;', `listen 127.0.0.1:${port};`)
  // As root, nginx's workers would switch to "nobody", who cannot enter the private temp dir.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : ''
  const conf = `${user}daemon off;
worker_processes 1;
pid nginx.pid;
error_log error.log info;
events { worker_connections 1024; }
http {
  log_format timed ${LOG_FORMAT};
  access_log access.log timed;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
${site}
}
`
  mkdirSync(join(dir, 'tmp'))
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const proc = spawn(bin, ['-p', dir + '/', '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '')
  await waitFor(() => {
    if (proc.exitCode !== null) throw new Error(`nginx exited at start:\n${out}\n${read('error.log')}`)
    return read('nginx.pid') !== '' && read('error.log').includes('start worker process')
  }, 'nginx to start')
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    proc,
    accessLog: () => read('access.log').split('\n').filter(Boolean).map(parseLogLine),
    errorLog: () => read('error.log'),
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * A copy of the basic fixture built with `earlyHints: false` (nginx before 1.29 takes a 103 for the response: see
 * the last test) and deployment.md's health route, resolving packages from the repository's node_modules.
 */
async function buildProxiedCopy(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-proxy-'))
  cpSync(FIXTURE, dir, {
    recursive: true,
    filter: (src) => !['node_modules', '.pareto'].includes(relative(FIXTURE, src)),
  })
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  writeFileSync(join(dir, 'pareto.config.ts'), 'export default { streamTimeout: 1500, earlyHints: false }\n')
  mkdirSync(join(dir, 'app/healthz'))
  writeFileSync(join(dir, 'app/healthz/route.ts'), docBlock('ts', '// app/healthz/route.ts'))
  await buildFixture(dir)
  return dir
}

/** The outcome of one request under load: a status and body, or the error the client saw. */
interface Outcome {
  kind: 'page' | 'get' | 'post'
  id: number
  status: number
  body: string
  error?: string
}

/** One request through the proxy on `agent`; never rejects (a socket error becomes `error`). */
function send(base: string, agent: http.Agent, kind: Outcome['kind'], id: number): Promise<Outcome> {
  const path = kind === 'page' ? `/?n=${id}` : `/api/items?n=${id}`
  const payload = kind === 'post' ? JSON.stringify({ n: id }) : undefined
  return new Promise((resolve) => {
    const req = http.request(
      base + path,
      {
        agent,
        method: kind === 'post' ? 'POST' : 'GET',
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ kind, id, status: res.statusCode ?? 0, body }))
        res.on('error', (e) => resolve({ kind, id, status: res.statusCode ?? 0, body, error: String(e) }))
      },
    )
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ kind, id, status: 0, body: '', error: e.code ?? e.message }),
    )
    req.end(payload)
  })
}

/** What is wrong with an outcome (an empty string when it is a whole, successful answer). */
function problem(o: Outcome): string {
  if (o.error) return `${o.kind} #${o.id}: ${o.error}`
  if (o.status < 200 || o.status >= 400) return `${o.kind} #${o.id}: HTTP ${o.status} ${o.body.slice(0, 200)}`
  try {
    if (o.kind === 'page') {
      if (!o.body.includes(CHART) || !o.body.trimEnd().endsWith('</body></html>')) return `page #${o.id}: cut short`
    } else if (o.kind === 'get') {
      const data = JSON.parse(o.body) as { items: number[] }
      if (data.items.join() !== '1,2,3') return `get #${o.id}: ${o.body}`
    } else {
      const data = JSON.parse(o.body) as { created: { n: number } }
      if (o.status !== 201 || data.created.n !== o.id) return `post #${o.id}: HTTP ${o.status} ${o.body}`
    }
  } catch {
    return `${o.kind} #${o.id}: unreadable body ${o.body.slice(0, 200)}`
  }
  return ''
}

describe('pareto start behind nginx', () => {
  const bin = findNginx()
  let appDir = ''
  let a: ServerProcess | undefined
  let b: ServerProcess | undefined
  let proxy: Nginx | undefined

  beforeAll(async () => {
    appDir = await buildProxiedCopy()
    ;[a, b] = await Promise.all([
      spawnServer(appDir, ['start', '--port', '0']),
      spawnServer(appDir, ['start', '--port', '0']),
    ])
    proxy = await startNginx(bin, [a.port, b.port])
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([a?.stop(), b?.stop()])
    if (appDir) rmSync(appDir, { recursive: true, force: true })
  })

  it('streams a page through nginx, gzip-compressed by pareto: the shell arrives well before the deferred value', async () => {
    const r = await fetchTimed(proxy!.url + '/', { 'accept-encoding': 'gzip' })
    expect(r.status).toBe(200)
    expect(r.headers.server).toMatch(/^nginx\//)
    expect(r.headers['content-encoding']).toBe('gzip')
    const shell = arrivalOf(r, SHELL)
    const chart = arrivalOf(r, CHART)
    // The chart's data settles at 900 ms: a proxy holding the response back would deliver the shell with it.
    expect(shell).toBeLessThan(400)
    expect(chart - shell).toBeGreaterThan(500)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
    // deployment.md's health route answers, and round robin spreads the requests over both instances.
    const health = [await request(proxy!.url + '/healthz'), await request(proxy!.url + '/healthz')]
    for (const h of health) expect([h.status, h.body]).toEqual([200, '{"ok":true}'])
    const upstreams = new Set(proxy!.accessLog().flatMap((e) => e.upstreams))
    expect(upstreams).toEqual(new Set([`127.0.0.1:${a!.port}`, `127.0.0.1:${b!.port}`]))
  })

  it('loses no request when one instance gets SIGTERM under load: GETs and POSTs all answered in full', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
    const outcomes: Outcome[] = []
    let running = true
    let next = 0
    const kinds: Outcome['kind'][] = ['page', 'post', 'get', 'post']
    const client = async (i: number) => {
      for (let k = i; running; k++) outcomes.push(await send(proxy!.url, agent, kinds[k % kinds.length]!, next++))
    }
    const clients = Array.from({ length: 24 }, (_, i) => client(i))

    await new Promise((r) => setTimeout(r, 1000))
    const signalledAt = Date.now()
    a!.proc.kill('SIGTERM')
    const { code } = await a!.exited
    const drainedAt = Date.now()
    // Load goes on after the instance is gone: nginx finds it refusing connections and uses the other.
    await new Promise((r) => setTimeout(r, 700))
    running = false
    await Promise.all(clients)
    agent.destroy()

    expect(outcomes.map(problem).filter(Boolean)).toEqual([])
    expect(code).toBe(0)
    expect(a!.output()).toContain('SIGTERM: not accepting connections')
    expect(a!.output()).not.toMatch(/still open after \d+ ms were closed/)

    // The drain was exercised: requests that were on the stopped instance finished there after the signal.
    const afterSignal = proxy!.accessLog().filter((e) => e.at >= signalledAt)
    const onA = afterSignal.filter((e) => e.upstreams.join() === `127.0.0.1:${a!.port}`)
    const retried = afterSignal.filter((e) => e.upstreams.length > 1)
    expect(onA.filter((e) => e.uri.startsWith('/?')).length).toBeGreaterThan(0)
    // nginx saw no reset or early close from the stopping instance, only refused connections once it had stopped.
    const errors = proxy!
      .errorLog()
      .split('\n')
      .filter((l) => /\[(error|crit|alert)\]/.test(l))
    const refused = errors.filter((l) => l.includes('(111: Connection refused)'))
    expect(errors.filter((l) => !refused.includes(l))).toEqual([])
    expect(outcomes.length).toBeGreaterThan(100)
    console.log(
      `[proxy test] ${outcomes.length} requests; the stopped instance drained in ${drainedAt - signalledAt} ms and ` +
        `answered ${onA.filter((e) => e.method === 'GET').length} GETs and ${onA.filter((e) => e.method === 'POST').length} POSTs after SIGTERM; ` +
        `nginx retried ${retried.map((e) => e.method).join(', ') || 'nothing'} after ${refused.length} refused connection(s)`,
    )
  })
})

describe('103 Early Hints through nginx', () => {
  const bin = findNginx()
  const [major, minor] = nginxVersion(bin)
  const knowsEarlyHints = major > 1 || (major === 1 && minor >= 29)
  let server: ServerProcess | undefined
  let proxy: Nginx | undefined

  beforeAll(async () => {
    // The basic fixture as global setup built it: earlyHints is on, the default.
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
    proxy = await startNginx(bin, [server.port, server.port])
  })
  afterAll(async () => {
    await proxy?.stop()
    await server?.stop()
  })

  /** Every byte nginx sends for `GET /` within `ms`, and whether it closed the connection by then. */
  function rawGet(url: string, ms: number): Promise<{ text: string; ended: boolean }> {
    const { hostname, port } = new URL(url)
    return new Promise((resolve) => {
      const socket = net.connect(Number(port), hostname)
      let text = ''
      let ended = false
      socket.on('data', (d) => (text += d.toString('latin1')))
      socket.on('end', () => (ended = true))
      socket.on('error', () => {})
      socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'))
      setTimeout(() => {
        socket.destroy()
        resolve({ text, ended })
      }, ms)
    })
  }

  it.runIf(!knowsEarlyHints)(
    `nginx ${major}.${minor} (before 1.29) takes the 103 for the final response and never finishes the page`,
    async () => {
      // Straight from pareto, the page is done in about a second.
      const [direct, proxied] = await Promise.all([rawGet(server!.url, 2500), rawGet(proxy!.url, 2500)])
      expect(direct.text.startsWith('HTTP/1.1 103 Early Hints\r\n')).toBe(true)
      expect(direct.text).toContain('</body></html>')

      expect(proxied.text).toMatch(/^HTTP\/1\.1 103 Early Hints\r\nServer: nginx\//)
      // Pareto's real response comes after nginx's 103 head as its body, and stops short of the end.
      expect(proxied.text.indexOf('\r\n\r\nHTTP/1.1 200 OK\r\n')).toBeGreaterThan(0)
      expect(proxied.text).not.toContain('</body></html>')
      expect(proxied.ended).toBe(false)
    },
  )

  it.runIf(knowsEarlyHints)(`nginx ${major}.${minor} reads the 103 and answers with the page`, async () => {
    const r = await fetchTimed(proxy!.url + '/')
    expect(r.status).toBe(200)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
  })
})
