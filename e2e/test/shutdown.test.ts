import http from 'node:http'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { arrivalOf, fetchTimed } from '../helpers/wire.js'

// The fixture's streamTimeout is 1500 ms: with the 3 s grace, the drain's deadline is 4.5 s.
const DRAIN_DEADLINE = 4500

let server: ServerProcess | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

/** A GET over `agent`, resolving with status, headers and body, or rejecting with the socket's error. */
function get(
  url: string,
  agent: http.Agent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

describe('pareto start on SIGTERM', () => {
  it('finishes a stream in flight, answers a request on an idle keep-alive connection with Connection: close, refuses new connections, exits 0 once the client has let go', async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const first = await get(server.url + '/api/items', agent)
    expect(first.status).toBe(200)
    expect(first.headers.connection).toBe('keep-alive')

    const streamAgent = new http.Agent({ keepAlive: true })
    const stream = fetchTimed(server.url + '/', {}, streamAgent)
    await new Promise((r) => setTimeout(r, 100))
    const signalled = performance.now()
    server.proc.kill('SIGTERM')
    await server.waitForOutput('SIGTERM: not accepting connections')

    // Idle since before the drain, and for longer than the half second after which an earlier drain closed it
    // (racing a request a proxy sends on it): the server answers on it, and that answer ends the connection.
    await new Promise((r) => setTimeout(r, 800))
    const during = await get(server.url + '/api/items', agent)
    expect(during.status).toBe(200)
    expect(during.headers.connection).toBe('close')
    await expect(get(server.url + '/api/items', new http.Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    const r = await stream
    expect(r.status).toBe(200)
    // The chart's data settles at 900 ms, after the signal: the stream was in flight.
    expect(arrivalOf(r, '<div id="chart">3,1,4,1,5</div>')).toBeGreaterThan(100)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
    // The stream's headers went out before the drain, without Connection: close: its connection stays open
    // until the client closes it. Once it does, the server has no connection left and exits, well before the deadline.
    streamAgent.destroy()
    const letGo = performance.now()
    const { code } = await server.exited
    expect(code).toBe(0)
    expect(performance.now() - letGo).toBeLessThan(1000)
    expect(performance.now() - signalled).toBeLessThan(DRAIN_DEADLINE - 1000)
    expect(server.output()).not.toMatch(/at the \d+ ms deadline|still open after/)
    agent.destroy()
  })

  it('keeps an idle keep-alive connection the client never uses again until the deadline, then closes it and exits 0', async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    expect((await get(server.url + '/api/items', agent)).status).toBe(200)
    const signalled = performance.now()
    server.proc.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    const took = performance.now() - signalled
    expect(took).toBeGreaterThan(DRAIN_DEADLINE - 100)
    expect(took).toBeLessThan(DRAIN_DEADLINE + 2000)
    expect(server.output()).toContain(`closed 1 idle keep-alive connection(s) at the ${DRAIN_DEADLINE} ms deadline`)
    // No request was cut.
    expect(server.output()).not.toMatch(/still open after/)
    agent.destroy()
  })

  it('cuts a connection that never finishes its request at streamTimeout + 3 s, says so, and exits 0', async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
    const socket = net.connect(server.port, '127.0.0.1')
    socket.on('error', () => {})
    await new Promise((r) => socket.once('connect', r))
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n')
    await new Promise((r) => setTimeout(r, 100))
    const signalled = performance.now()
    server.proc.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    const took = performance.now() - signalled
    expect(took).toBeGreaterThan(DRAIN_DEADLINE - 100)
    expect(took).toBeLessThan(DRAIN_DEADLINE + 2000)
    expect(server.output()).toMatch(new RegExp(`1 connection\\(s\\) still open after ${DRAIN_DEADLINE} ms were closed`))
    socket.destroy()
  })
})
