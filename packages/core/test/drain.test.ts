import { createServer } from 'node:http'
import type { Server } from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { drainable } from '../src/node/shutdown.js'
import type { Drainable } from '../src/node/shutdown.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A raw keep-alive connection: what it has received so far, and whether the server closed it. */
interface Conn {
  socket: net.Socket
  text: () => string
  closed: Promise<void>
  isClosed: () => boolean
  /** Resolves once `n` complete responses (by their `ok` body) have arrived. */
  responses: (n: number) => Promise<string>
}

let server: Server | undefined
let drain: Drainable | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((r) => server?.close(r) ?? r(undefined))
  server = undefined
})

/** An HTTP server answering `ok` (after `delayMs` for /slow), tracked for a drain, listening on 127.0.0.1. */
async function listen(): Promise<number> {
  server = createServer((req, res) => {
    const send = () => res.end('ok')
    if (req.url === '/slow') setTimeout(send, 300)
    else send()
  })
  drain = drainable(server)
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

async function connect(port: number): Promise<Conn> {
  const socket = net.connect(port, '127.0.0.1')
  let text = ''
  let closed = false
  socket.on('data', (d) => (text += d.toString('latin1')))
  const closedP = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())))
  await new Promise((ok, fail) => {
    socket.once('connect', ok)
    socket.once('error', fail)
  })
  socket.on('error', () => {})
  return {
    socket,
    text: () => text,
    closed: closedP,
    isClosed: () => closed,
    responses: async (n) => {
      while (text.split('\r\n\r\nok').length - 1 < n) {
        if (closed) throw new Error(`connection closed after ${text}`)
        await sleep(5)
      }
      return text
    },
  }
}

const GET = (path = '/') => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`

describe('drain', () => {
  it('keeps an idle keep-alive connection open through the drain; a request sent on it later is answered and ends it', async () => {
    const port = await listen()
    const conn = await connect(port)
    conn.socket.write(GET())
    expect(await conn.responses(1)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*connection: keep-alive\r\n/i)

    const started = performance.now()
    const result = drain!.drain(5000)
    // Well past the half second after which the old drain closed idle connections.
    await sleep(800)
    expect(conn.isClosed()).toBe(false)
    conn.socket.write(GET())
    const second = (await conn.responses(2)).split('\r\n\r\nok')[1]!
    expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(second).toMatch(/\r\nconnection: close\r\n/i)
    await conn.closed
    // The last connection gone, the drain ends at once rather than at the deadline.
    expect(await result).toEqual({ cut: 0, idle: 0 })
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('answers a request still in progress with Connection: close', async () => {
    const port = await listen()
    const conn = await connect(port)
    conn.socket.write(GET('/slow'))
    await sleep(50)
    const result = drain!.drain(5000)
    expect(await conn.responses(1)).toMatch(/\r\nconnection: close\r\n/i)
    await conn.closed
    expect(await result).toEqual({ cut: 0, idle: 0 })
  })

  it('refuses new connections once draining', async () => {
    const port = await listen()
    const idle = await connect(port)
    void drain!.drain(1000)
    await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    idle.socket.destroy()
  })

  it('closes the rest at the deadline, telling idle connections from ones carrying a request', async () => {
    const port = await listen()
    const idle = await connect(port)
    idle.socket.write(GET())
    await idle.responses(1)
    const silent = await connect(port)
    const partial = await connect(port)
    partial.socket.write('GET / HTTP/1.1\r\nHost: x\r\n')
    await sleep(50)

    const started = performance.now()
    const result = await drain!.drain(600)
    expect(performance.now() - started).toBeGreaterThan(550)
    // The idle one and the one that never sent anything are idle; the half-sent request is cut.
    expect(result).toEqual({ cut: 1, idle: 2 })
    await Promise.all([idle.closed, silent.closed, partial.closed])
  })
})
