import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createElement } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamDocument } from '../../packages/core/src/server/stream.js'
import { PageRequest } from '../../packages/core/src/server/request.js'
import type { PageEnv } from '../../packages/core/src/server/request.js'
import { encodeFrames } from '../../packages/core/src/wire/encode.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function List({ data }: { data: { items: { id: number; title: string }[] } }) {
  return createElement(
    'ul',
    null,
    data.items.map((item) => createElement('li', { key: item.id }, item.title)),
  )
}

/** Holds only a WeakRef to the data it renders, so the test can see whether anything else keeps it. */
let lastData: WeakRef<object> | undefined
/** The last streamDocument promise, and a release for /slow's pending data. */
let lastSend: Promise<void> | undefined
let release: (() => void) | undefined

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const items = Array.from({ length: 50 }, (_, i) => ({ id: i, title: `Item ${i}` }))
  // /big carries 4 MB of text, to be seen in the heap's size.
  const data: { items: typeof items; text?: string; later?: Promise<void> } =
    req.url === '/big'
      ? { items, text: 'x'.repeat(4 << 20) }
      : req.url === '/slow'
        ? { items, later: new Promise<void>((r) => (release = r)) }
        : { items }
  lastData = new WeakRef(data)
  const env = { build: { config: { streamTimeout: 5000 } }, bootstrapModules: [], dev: false } as unknown as PageEnv
  lastSend = streamDocument(new PageRequest(env, req, res, null, {}), {
    element: createElement('html', null, createElement('body', null, createElement(List, { data }))),
    boot: { id: '/', kind: 'page', pathname: '/', search: '', params: {}, htmlAttrs: {} },
    frames: encodeFrames(data),
    status: 200,
  })
}

const server = http.createServer(handler)
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
let base = ''

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  agent.destroy()
  await new Promise((r) => server.close(r))
})

const get = (path: string) =>
  new Promise<string>((resolve, reject) => {
    http
      .get(base + path, { agent }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve(body))
      })
      .on('error', reject)
  })

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
}

describe('streamDocument', () => {
  it('resolves once the shell is sent, not when pending data ends the stream, so its caller is not held meanwhile', async () => {
    const body = get('/slow')
    let sent = false
    await new Promise<void>((r) => {
      const wait = () => (lastSend ? void lastSend.then(() => ((sent = true), r())) : setTimeout(wait, 1))
      wait()
    })
    expect(sent).toBe(true)
    release!()
    expect(await body).toContain('<li>Item 49</li>')
  })
})

describe('a finished document', () => {
  it('lets its loader data go while the keep-alive connection stays open', async () => {
    const body = await get('/')
    expect(body).toContain('<li>Item 49</li>')
    // The connection is idle now, with Node's keep-alive timer armed; React's request may still be held by
    // that timer or by work React scheduled. Neither may keep the page's data alive.
    await turns(3)
    gc()
    expect(lastData?.deref()).toBeUndefined()
    expect(agent.freeSockets[Object.keys(agent.freeSockets)[0]!]?.length).toBe(1)
  })

  it('leaves nothing of its render (boot script, React state) to the idle connection', async () => {
    const body = await get('/big')
    expect(body.length).toBeGreaterThan(4 << 20)
    await turns(3)
    gc()
    const idle = process.memoryUsage().heapUsed
    // Closing the connection frees whatever its keep-alive timer was holding.
    agent.destroy()
    await turns(3)
    gc()
    const closed = process.memoryUsage().heapUsed
    expect(idle - closed).toBeLessThan(1 << 20)
  })
})
