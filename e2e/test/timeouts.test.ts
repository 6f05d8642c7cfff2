import http from 'node:http'
import net from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { request } from '../helpers/wire.js'

// Short limits, so the test sees the server enforce them within a few seconds.
const HEADERS_TIMEOUT = 1000
const REQUEST_TIMEOUT = 2000
const KEEP_ALIVE_TIMEOUT = 2000

/** What a raw connection saw: when the server closed it (ms after it connected) and what it sent back. */
interface Watched {
  socket: net.Socket
  closed: Promise<{ after: number; received: string }>
}

/** Opens a raw TCP connection and records when the server closes it. */
async function connect(port: number): Promise<Watched> {
  const socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise((r) => socket.once('connect', r))
  const start = performance.now()
  let received = ''
  socket.on('data', (d) => (received += d))
  const closed = new Promise<{ after: number; received: string }>((r) =>
    socket.once('close', () => r({ after: performance.now() - start, received })),
  )
  return { socket, closed }
}

/** Writes `text` one byte per `every` ms until the socket closes: a slow-loris client. */
function trickle(socket: net.Socket, text: string, every: number): void {
  let i = 0
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer)
    socket.write(text[i++])
  }, every)
  socket.once('close', () => clearInterval(timer))
}

describe('connection timeouts (startProductionServer options)', () => {
  let dir: string
  let server: ServerProcess
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-timeouts-'))
    const script = join(dir, 'server.mjs')
    const node = pathToFileURL(resolve(REPO_DIR, 'packages/core/dist/node.js')).href
    const options = {
      port: 0,
      host: '127.0.0.1',
      headersTimeout: HEADERS_TIMEOUT,
      requestTimeout: REQUEST_TIMEOUT,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT,
    }
    writeFileSync(
      script,
      [
        `import { startProductionServer } from ${JSON.stringify(node)}`,
        `const server = await startProductionServer(${JSON.stringify(join(FIXTURE, '.pareto'))}, ${JSON.stringify(options)})`,
        'console.log(`listening on http://127.0.0.1:${server.address().port}`)',
        '',
      ].join('\n'),
    )
    server = await spawnServer(FIXTURE, [], { script, env: { NODE_ENV: 'production' } })
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('slow-loris and silent connections do not hold up other requests, and are closed after headersTimeout', async () => {
    const loris = await Promise.all(Array.from({ length: 5 }, () => connect(server.port)))
    for (const l of loris) trickle(l.socket, 'GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(100), 200)
    const silent = await Promise.all(Array.from({ length: 50 }, () => connect(server.port)))

    // Served promptly while those connections are open.
    for (let i = 0; i < 10; i++) {
      const start = performance.now()
      const r = await request(server.url + '/api/items')
      expect(r.status).toBe(200)
      expect(performance.now() - start).toBeLessThan(500)
      await new Promise((r) => setTimeout(r, 50))
    }

    for (const { closed } of [...loris, ...silent]) {
      const { after, received } = await closed
      // Node checks a quarter of the timeout apart (Pareto's setting), so the close comes within ~1.5x.
      expect(after).toBeGreaterThan(HEADERS_TIMEOUT - 50)
      expect(after).toBeLessThan(HEADERS_TIMEOUT * 1.5 + 500)
      expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout/)
    }
  })

  it('a request whose body trickles in is closed after requestTimeout', async () => {
    const slow = await connect(server.port)
    slow.socket.write(
      'POST /api/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
    )
    trickle(slow.socket, '['.padEnd(100, '1'), 200)
    const { after, received } = await slow.closed
    expect(after).toBeGreaterThan(REQUEST_TIMEOUT - 50)
    expect(after).toBeLessThan(REQUEST_TIMEOUT * 1.25 + 500)
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout/)
  })

  it('closes an idle keep-alive connection after keepAliveTimeout', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const { keepAlive, idleFor } = await new Promise<{ keepAlive?: string; idleFor: number }>((resolve, reject) => {
      http
        .get(server.url + '/api/items', { agent }, (res) => {
          const socket = res.socket
          res.resume()
          res.on('end', () => {
            const idle = performance.now()
            socket.once('close', () =>
              resolve({
                keepAlive: res.headers['keep-alive'] as string | undefined,
                idleFor: performance.now() - idle,
              }),
            )
          })
        })
        .on('error', reject)
    })
    expect(keepAlive).toBe(`timeout=${KEEP_ALIVE_TIMEOUT / 1000}`)
    expect(idleFor).toBeGreaterThan(KEEP_ALIVE_TIMEOUT - 100)
    // Node keeps the socket up to a second past the advertised timeout, so that the client closes first.
    expect(idleFor).toBeLessThan(KEEP_ALIVE_TIMEOUT + 1800)
    agent.destroy()
  })
})

describe('pareto start defaults', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0'])
  })
  afterAll(() => server?.stop())

  it('closes a slow-loris connection after 10 s (headersTimeout) and keeps idle connections for 65 s', async () => {
    const r = await request(server.url + '/api/items')
    expect(r.headers['keep-alive']).toBe('timeout=65')
    const loris = await connect(server.port)
    trickle(loris.socket, 'GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(100), 500)
    const { after, received } = await loris.closed
    expect(after).toBeGreaterThan(9950)
    expect(after).toBeLessThan(12_000)
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout/)
  }, 30_000)
})
