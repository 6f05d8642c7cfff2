import http from 'node:http'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { arrivalOf, fetchTimed } from '../helpers/wire.js'

// The fixture's streamTimeout is 1500 ms: with the 5 s grace, a drain may take 6.5 s.
const DRAIN_DEADLINE = 6500

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
  it('finishes a stream in flight, answers a request on an idle keep-alive connection with Connection: close, refuses new connections, exits 0', async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const first = await get(server.url + '/api/items', agent)
    expect(first.status).toBe(200)
    expect(first.headers.connection).toBe('keep-alive')

    const stream = fetchTimed(server.url + '/')
    await new Promise((r) => setTimeout(r, 100))
    const signalled = performance.now()
    server.proc.kill('SIGTERM')
    await server.waitForOutput('SIGTERM: not accepting connections')

    // The keep-alive connection was idle when the drain began: the server must answer on it, not reset it.
    const during = await get(server.url + '/api/items', agent)
    expect(during.status).toBe(200)
    expect(during.headers.connection).toBe('close')
    await expect(get(server.url + '/api/items', new http.Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    const r = await stream
    expect(r.status).toBe(200)
    expect(arrivalOf(r, '<div id="chart">3,1,4,1,5</div>')).toBeGreaterThan(100)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)

    const { code } = await server.exited
    expect(code).toBe(0)
    // It exits once its connections are done, not at the deadline.
    expect(performance.now() - signalled).toBeLessThan(3000)
    agent.destroy()
  })

  it('closes an idle keep-alive connection itself and exits without waiting for the deadline', async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    expect((await get(server.url + '/api/items', agent)).status).toBe(200)
    const signalled = performance.now()
    server.proc.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    expect(performance.now() - signalled).toBeLessThan(2500)
    agent.destroy()
  })

  it('cuts a connection that never finishes its request at streamTimeout + 5 s, says so, and exits 0', async () => {
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
    expect(server.output()).toMatch(/1 connection\(s\) still open after 6500 ms were closed/)
    socket.destroy()
  })
})
