// Pareto behind a real reverse proxy: Debian's nginx in front of two `pareto start` instances of the basic fixture,
// built with its own config (earlyHints left at its default), through the nginx block of deployment.md
// (e2e/helpers/nginx.ts). What nginx does with a 103 when hints are turned on: early-hints.test.ts.
import http from 'node:http'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixtureCopy, findNginx, startNginx } from '../helpers/nginx.js'
import type { Nginx } from '../helpers/nginx.js'
import { spawnServer, waitFor } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

const SHELL = '<h1>42<!-- --> items</h1>'
const CHART = '<div id="chart">3,1,4,1,5</div>'
/** How many times the load test stops an instance (alternating between the two, each restarted after). */
const ROUNDS = 3
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

describe('pareto start behind nginx, default build', () => {
  const bin = findNginx()
  let appDir = ''
  const servers: [ServerProcess | undefined, ServerProcess | undefined] = [undefined, undefined]
  let proxy: Nginx | undefined

  beforeAll(async () => {
    // The fixture's own pareto.config.ts (streamTimeout 1500 ms, so the drain deadline is 4.5 s), nothing about the proxy.
    appDir = await buildFixtureCopy('pareto-proxy-')
    const [a, b] = await Promise.all([
      spawnServer(appDir, ['start', '--port', '0']),
      spawnServer(appDir, ['start', '--port', '0']),
    ])
    servers[0] = a
    servers[1] = b
    proxy = await startNginx(bin, [a.port, b.port])
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all(servers.map((s) => s?.stop()))
    if (appDir) rmSync(appDir, { recursive: true, force: true })
  })

  it('streams a page through nginx at once, gzip-compressed by pareto: the shell first, the page complete, no 103', async () => {
    const r = await fetchTimed(proxy!.url + '/', { 'accept-encoding': 'gzip' })
    expect(r.status).toBe(200)
    expect(r.informational).toEqual([])
    expect(r.headers.server).toMatch(/^nginx\//)
    expect(r.headers['content-encoding']).toBe('gzip')
    const shell = arrivalOf(r, SHELL)
    const chart = arrivalOf(r, CHART)
    // The chart's data settles at 900 ms: a proxy holding the response back would deliver the shell with it.
    expect(shell).toBeLessThan(400)
    expect(chart - shell).toBeGreaterThan(500)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
    // Done when pareto is done (about a second), not when nginx gives up on the upstream (proxy_read_timeout, 60 s).
    expect(r.end).toBeLessThan(3000)
    // deployment.md's health route answers, and round robin spreads the requests over both instances.
    const health = [await request(proxy!.url + '/healthz'), await request(proxy!.url + '/healthz')]
    for (const h of health) expect([h.status, h.body]).toEqual([200, '{"ok":true}'])
    const upstreams = new Set(proxy!.accessLog().flatMap((e) => e.upstreams))
    expect(upstreams).toEqual(new Set(servers.map((s) => `127.0.0.1:${s!.port}`)))
  })

  it(
    `loses no request when an instance gets SIGTERM under GET and POST load (${ROUNDS} stops, each instance restarted)`,
    async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
      const outcomes: Outcome[] = []
      let running = true
      let next = 0
      const kinds: Outcome['kind'][] = ['page', 'post', 'get', 'post']
      const client = async (i: number) => {
        for (let k = i; running; k++) outcomes.push(await send(proxy!.url, agent, kinds[k % kinds.length]!, next++))
      }
      const clients = Array.from({ length: 24 }, (_, i) => client(i))
      const lines: string[] = []
      let sawRetry = false

      let restartedAt = Date.now()
      for (let round = 0; round < ROUNDS; round++) {
        // Both instances in nginx's rotation (a restarted one is back after nginx's fail_timeout), with pooled
        // keep-alive connections: each has served load since the last restart, and a second more.
        const ports = servers.map((s) => `127.0.0.1:${s!.port}`)
        await waitFor(
          () => {
            const recent = proxy!.accessLog().filter((e) => e.at >= restartedAt)
            return ports.every((p) => recent.filter((e) => e.upstreams.join() === p).length >= 20)
          },
          'nginx to send load to both instances',
          20_000,
        )
        const slot = round % 2
        const victim = servers[slot]!
        const upstream = ports[slot]!
        await new Promise((r) => setTimeout(r, 1000))
        const before = outcomes.length
        const signalledAt = Date.now()
        victim.proc.kill('SIGTERM')
        const exit = await victim.exited
        const drainedAt = Date.now()
        expect(exit, victim.output()).toEqual({ code: 0, signal: null })
        expect(victim.output()).toContain('SIGTERM: not accepting connections')
        expect(victim.output()).not.toMatch(/still open after \d+ ms were closed/)
        // The drain was exercised: pages that were on the stopped instance finished there after the signal.
        const afterSignal = proxy!.accessLog().filter((e) => e.at >= signalledAt)
        const onVictim = afterSignal.filter((e) => e.upstreams.join() === upstream)
        expect(onVictim.filter((e) => e.uri.startsWith('/?')).length).toBeGreaterThan(0)
        // Restarted on its port, as a rolling deploy does; nginx takes it back once its fail_timeout has passed.
        servers[slot] = await spawnServer(appDir, ['start', '--port', String(victim.port)])
        restartedAt = Date.now()
        sawRetry ||= afterSignal.some((e) => e.upstreams.length > 1)
        lines.push(
          `stop ${round + 1}: drained in ${drainedAt - signalledAt} ms, answering ${onVictim.filter((e) => e.method === 'GET').length} GETs and ` +
            `${onVictim.filter((e) => e.method === 'POST').length} POSTs after SIGTERM, closing ${/closed (\d+) idle/.exec(victim.output())?.[1] ?? 0} idle ` +
            `connection(s) at the deadline; ${outcomes.length - before} requests done meanwhile`,
        )
      }
      // Load goes on after the last stop: nginx finds the restarted instance refusing or back, and uses the other.
      await new Promise((r) => setTimeout(r, 700))
      running = false
      await Promise.all(clients)
      agent.destroy()

      const failed = outcomes.map(problem).filter(Boolean)
      const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length
      // nginx saw no reset or early close from a stopping instance, only refused connections once it had stopped.
      const upstreamErrors = proxy!
        .errorLog()
        .split('\n')
        .filter((l) => /\[(error|crit|alert)\]/.test(l) && !l.includes('(111: Connection refused)'))
      console.log(
        `[proxy test] ${outcomes.length} requests (${count('page')} pages, ${count('get')} GETs, ${count('post')} POSTs), ` +
          `${failed.length} failed${failed.length ? ` (${failed.slice(0, 5).join('; ')})` : ''}, ` +
          `${upstreamErrors.length} upstream errors in nginx's log${upstreamErrors.length ? ` (${upstreamErrors.slice(0, 3).join(' | ')})` : ''}` +
          `\n  ${lines.join('\n  ')}`,
      )
      expect(failed).toEqual([])
      expect(upstreamErrors).toEqual([])
      // Refused connections were retried on the other instance (what nginx does with a request it could not send).
      expect(sawRetry).toBe(true)
      expect(outcomes.length).toBeGreaterThan(100 * ROUNDS)
    },
    60_000 + ROUNDS * 20_000,
  )
})
