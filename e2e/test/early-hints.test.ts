// 103 Early Hints are opt-in: the default build sends none; `earlyHints: true` sends one before each page document,
// naming its stylesheets, the client entry and the route's chunks. Read off the wire with a raw client, and
// through nginx, which before 1.29 takes the 103 for the final response (why they are off by default).
import { readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixtureCopy, findNginx, nginxVersion, startNginx } from '../helpers/nginx.js'
import type { Nginx } from '../helpers/nginx.js'
import { FIXTURE } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { rawExchange, request } from '../helpers/wire.js'

const PAGE = '/blog/hello'
const GET = (path: string, version = '1.1', method = 'GET') =>
  `${method} ${path} HTTP/${version}\r\nHost: localhost\r\nConnection: close\r\n\r\n`

/** The hrefs of one kind of `<link>` in a document. */
const linked = (html: string, rel: string) =>
  [...html.matchAll(new RegExp(`<link rel="${rel}"[^>]* href="([^"]+)"`, 'g'))].map((m) => m[1]!)

let plain: ServerProcess | undefined
let hinting: ServerProcess | undefined
let hintsDir = ''

beforeAll(async () => {
  // The fixture's own config, with the hints turned on.
  const config = readFileSync(join(FIXTURE, 'pareto.config.ts'), 'utf8')
  if (!config.includes('streamTimeout: 1500,'))
    throw new Error('e2e/fixtures/basic/pareto.config.ts changed: update early-hints.test.ts')
  hintsDir = await buildFixtureCopy(
    'pareto-hints-',
    config.replace('streamTimeout: 1500,', 'streamTimeout: 1500,\n  earlyHints: true,'),
  )
  ;[plain, hinting] = await Promise.all([
    // The basic fixture as global setup built it: its config does not mention earlyHints.
    spawnServer(FIXTURE, ['start', '--port', '0']),
    spawnServer(hintsDir, ['start', '--port', '0']),
  ])
})
afterAll(async () => {
  await Promise.all([plain?.stop(), hinting?.stop()])
  if (hintsDir) rmSync(hintsDir, { recursive: true, force: true })
})

describe('103 Early Hints', () => {
  it('the default build sends none: the page is the first response', async () => {
    const responses = await rawExchange(plain!.url, GET(PAGE))
    expect(responses.map((r) => r.status)).toEqual([200])
    expect(responses[0]!.body.trimEnd().endsWith('</body></html>')).toBe(true)
    expect((await request(plain!.url + PAGE)).informational).toEqual([])
  })

  it("earlyHints: true sends a 103 before the page, linking the page's stylesheets, entry and chunks", async () => {
    const responses = await rawExchange(hinting!.url, GET(PAGE))
    expect(responses.map((r) => r.status)).toEqual([103, 200])
    const [hints, page] = responses as [(typeof responses)[0], (typeof responses)[0]]
    const links = hints.headers.link!.split(', ')
    const modules = linked(page.body, 'modulepreload')
    expect(modules.some((href) => /^\/assets\/client-entry-.+\.js$/.test(href))).toBe(true)
    expect(modules.length).toBeGreaterThan(2)
    for (const href of modules) expect(links).toContain(`<${href}>; rel=modulepreload`)
    for (const href of linked(page.body, 'stylesheet')) expect(links).toContain(`<${href}>; rel=preload; as=style`)
    expect(page.body.trimEnd().endsWith('</body></html>')).toBe(true)

    // An HTTP client reads past it to the page, and can see it.
    const r = await request(hinting!.url + PAGE)
    expect(r.status).toBe(200)
    expect(r.informational.map((i) => i.status)).toEqual([103])
    expect(r.informational[0]!.headers.link).toBe(hints.headers.link)
  })

  it('earlyHints: true sends none to HTTP/1.0 or for HEAD, nor for navigation data, resource routes or a 404', async () => {
    for (const text of [
      GET(PAGE, '1.0'),
      GET(PAGE, '1.1', 'HEAD'),
      GET(`/__pareto/data${PAGE}`),
      GET('/api/items'),
      GET('/no/such/page'),
    ]) {
      const responses = await rawExchange(hinting!.url, text)
      expect(responses.length, text).toBe(1)
      expect(responses[0]!.status, text).not.toBe(103)
    }
  })
})

describe('earlyHints: true behind nginx', () => {
  const bin = findNginx()
  const [major, minor] = nginxVersion(bin)
  const knowsEarlyHints = major > 1 || (major === 1 && minor >= 29)
  let proxy: Nginx | undefined

  beforeAll(async () => {
    proxy = await startNginx(bin, [hinting!.port, hinting!.port])
  })
  afterAll(async () => {
    await proxy?.stop()
  })

  /** Every byte sent for `GET /` within `ms`, and whether the connection was closed by then. */
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
      const [direct, proxied] = await Promise.all([rawGet(hinting!.url, 2500), rawGet(proxy!.url, 2500)])
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
    const r = await request(proxy!.url + '/')
    expect(r.status).toBe(200)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
  })
})
