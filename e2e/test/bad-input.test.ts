// Requests a real server must survive: malformed targets, odd methods, bad bodies, clients that leave, code that
// throws. Each gets a clear 4xx/5xx (or a documented graceful answer) while the server is under load, logs only
// what it should, and keeps serving. Run against the basic fixture (an Express app.ts in front, so loaders get
// Express's request) and a copy of it without app.ts (Pareto's own request and response), built with
// `earlyHints: false` and a document.tsx whose getDocumentProps throws on one page.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '../helpers/browser.js'
import { CLI, FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import { useBrowser } from '../helpers/setup.js'
import type { RunningServer } from '../helpers/server.js'
import { request } from '../helpers/wire.js'

/** One response read off a raw connection: 1xx responses come as entries of their own, without a body. */
interface RawResponse {
  status: number
  headers: Record<string, string>
  /** The body, de-chunked. */
  body: string
  /** Every byte after the head, as sent (a HEAD answer must have none). */
  rawBodyLength: number
}

function dechunk(buf: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  while (at < buf.length) {
    const eol = buf.indexOf('\r\n', at)
    if (eol < 0) break
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16)
    if (!size) break
    parts.push(buf.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
  return Buffer.concat(parts)
}

function parseResponses(buf: Buffer): RawResponse[] {
  const out: RawResponse[] = []
  let at = 0
  while (at < buf.length) {
    const end = buf.indexOf('\r\n\r\n', at)
    if (end < 0) throw new Error(`incomplete response head:\n${buf.subarray(at).toString('latin1').slice(0, 300)}`)
    const [statusLine, ...lines] = buf.subarray(at, end).toString('latin1').split('\r\n')
    const status = Number(statusLine.split(' ')[1])
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const i = line.indexOf(':')
      const name = line.slice(0, i).trim().toLowerCase()
      const value = line.slice(i + 1).trim()
      headers[name] = headers[name] ? `${headers[name]}, ${value}` : value
    }
    at = end + 4
    if (status >= 100 && status < 200) {
      out.push({ status, headers, body: '', rawBodyLength: 0 })
      continue
    }
    // The final response: every other byte of the connection (each request here asks to close it).
    const rest = buf.subarray(at)
    const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest
    out.push({ status, headers, body: body.toString('utf8'), rawBodyLength: rest.length })
    break
  }
  return out
}

/**
 * Writes `parts` to a fresh TCP connection (each a write of its own) and resolves with every response the
 * server sent before it closed the connection. For requests no HTTP client sends as they are.
 */
function raw(url: string, ...parts: (string | Buffer)[]): Promise<RawResponse[]> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = net.connect(Number(port), hostname, () => {
      for (const p of parts) socket.write(p)
    })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no close after 10 s; got:\n${Buffer.concat(chunks).toString('latin1').slice(0, 500)}`))
    }, 10_000)
    socket.on('data', (d) => chunks.push(d))
    // A server that answers before reading a whole body may reset the connection: what it sent still counts.
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(parseResponses(Buffer.concat(chunks)))
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** The last (final) response of a raw exchange. */
const final = (responses: RawResponse[]) => responses[responses.length - 1]

/** A request head for `raw`, asking the server to close the connection after answering. */
const head = (line: string, headers: Record<string, string> = {}) =>
  `${line}\r\nHost: localhost\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}Connection: close\r\n\r\n`

/**
 * Opens a connection, sends `text`, and destroys it (the client leaving) once what it received contains `until`,
 * or after `until` milliseconds.
 */
function leave(url: string, text: string, until: string | number): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    let received = ''
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(text)
      if (typeof until === 'number') setTimeout(() => socket.destroy(), until)
    })
    socket.on('data', (d) => {
      received += d.toString('latin1')
      if (typeof until === 'string' && received.includes(until)) socket.destroy()
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(received))
  })
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** 20 clients GETting the streaming home page in a loop, until stopped: what each answer's status was. */
function startLoad(url: string, parallel = 20): { stop: () => Promise<{ statuses: number[]; failures: string[] }> } {
  let running = true
  const statuses: number[] = []
  const failures: string[] = []
  const loop = async () => {
    while (running) {
      try {
        statuses.push((await request(url + '/')).status)
      } catch (error) {
        failures.push(String(error))
        // A server that went away refuses at once: no spinning on it.
        await wait(100)
      }
    }
  }
  const loops = Array.from({ length: parallel }, loop)
  return {
    stop: async () => {
      running = false
      await Promise.all(loops)
      return { statuses, failures }
    },
  }
}

/** A server for the matrix, with its stderr alone (what the tests read for error logs). */
interface Target {
  server: RunningServer
  stderr: () => string
}

async function startTarget(dir: string): Promise<Target> {
  const server = await startServer(dir, 'start')
  let stderr = ''
  server.proc.stderr!.on('data', (d) => (stderr += d))
  return { server, stderr: () => stderr }
}

/** The copy without app.ts: Pareto's own request classes, `earlyHints: false`, a getDocumentProps that throws. */
function makePlainCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-bad-input-'))
  for (const entry of ['app', 'lib', 'public', 'vite.config.ts', 'package.json', '.env'])
    cpSync(join(FIXTURE, entry), join(dir, entry), { recursive: true })
  writeFileSync(
    join(dir, 'pareto.config.ts'),
    `export default { streamTimeout: 1500, earlyHints: false, wholePage: (_req: unknown, isBot: boolean) => isBot }\n`,
  )
  writeFileSync(
    join(dir, 'app/document.tsx'),
    `export const getDocumentProps = ({ pathname }: { pathname: string }) => {\n` +
      `  if (pathname === '/doc-boom') throw new Error('getDocumentProps exploded')\n` +
      `  return { lang: 'en' }\n}\n`,
  )
  // The copy resolves the same packages as the fixture, from the repository's node_modules.
  const modules = join(dir, 'node_modules')
  mkdirSync(join(modules, '@paretojs'), { recursive: true })
  for (const pkg of ['@paretojs/core', 'react', 'react-dom', 'vite'])
    symlinkSync(join(REPO_DIR, 'node_modules', pkg), join(modules, pkg), 'dir')
  return dir
}

let plainDir = ''
const targets: { basic?: Target; plain?: Target } = {}

beforeAll(async () => {
  plainDir = makePlainCopy()
  await promisify(execFile)(process.execPath, [CLI, 'build'], { cwd: plainDir })
  ;[targets.basic, targets.plain] = await Promise.all([startTarget(FIXTURE), startTarget(plainDir)])
})

afterAll(async () => {
  await Promise.all([targets.basic?.server.stop(), targets.plain?.server.stop()])
  if (plainDir) rmSync(plainDir, { recursive: true, force: true })
})

/** The digest an error page shows (the fixture's error.tsx prints it in #error-digest). */
const digestOf = (html: string) => /<p id="error-digest">([0-9a-f]+)<\/p>/.exec(html)?.[1]

/** The loader data an echo page rendered (`<pre id="…">` holding JSON, HTML-escaped). */
function renderedJson(html: string, id: string): Record<string, unknown> {
  const m = new RegExp(`<pre id="${id}"[^>]*>([^<]*)</pre>`).exec(html)
  if (!m) throw new Error(`no #${id} in:\n${html.slice(0, 2000)}`)
  const text = m[1]
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
  return JSON.parse(text.replace(/&amp;/g, '&')) as Record<string, unknown>
}

const PROTO_QUERY = '?constructor=x&toString=y&__proto__=z&hasOwnProperty=1'

describe.each([
  { name: 'basic fixture (Express app.ts in front)', key: 'basic' as const },
  { name: 'copy without app.ts (Pareto request classes)', key: 'plain' as const },
])('bad input, $name, under load', ({ key }) => {
  let t: Target
  let url = ''
  let load: ReturnType<typeof startLoad>
  /** stderr written since the current test started. */
  let mark = 0
  const newStderr = () => t.stderr().slice(mark)

  beforeAll(() => {
    t = targets[key]!
    url = t.server.url
    load = startLoad(url)
  })
  afterEach(async () => {
    // Whatever the request was, the server still answers a normal page.
    const r = await request(url + '/blog/hello')
    expect(r.status).toBe(200)
    expect(r.body).toContain('<h1 id="post">Post <!-- -->hello</h1>')
    expect(newStderr()).not.toMatch(/may be a Pareto bug|middleware failed/)
    mark = t.stderr().length
  })
  afterAll(async () => {
    const { statuses, failures } = await load.stop()
    expect(failures).toEqual([])
    expect(statuses.length).toBeGreaterThan(20)
    expect(statuses.every((s) => s === 200)).toBe(true)
  })

  it('malformed percent-encoding in the path: 400 naming the segment', async () => {
    const r = final(await raw(url, head('GET /%E0%A4%A HTTP/1.1')))
    expect(r.status).toBe(400)
    expect(r.body).toContain('Malformed percent-encoding in URL path segment "%E0%A4%A"')
  })

  it('malformed percent-encoding in the query: answered, the bad value kept as a string, the rest intact', async () => {
    const r = final(await raw(url, head('GET /api/echo-query?bad=%E0%A4%A&ok=1 HTTP/1.1')))
    expect(r.status).toBe(200)
    const report = JSON.parse(r.body) as { query: Record<string, unknown> }
    expect(report.query.ok).toBe('1')
    expect(typeof report.query.bad).toBe('string')
    const page = final(await raw(url, head('GET /echo-query?bad=%E0%A4%A&ok=1 HTTP/1.1')))
    expect(page.status).toBe(200)
  })

  it("query keys named after Object.prototype's members are plain strings, and the prototype never changes", async () => {
    const r = await request(url + '/api/echo-query' + PROTO_QUERY)
    expect(r.status).toBe(200)
    const report = JSON.parse(r.body)
    expect(report).toMatchObject({
      query: { constructor: 'x', toString: 'y', ['__proto__']: 'z', hasOwnProperty: '1' },
      types: { constructor: 'string', toString: 'string', ['__proto__']: 'string', hasOwnProperty: 'string' },
      constructor: 'x',
      protoKey: 'z',
      prototype: 'null',
      objectPrototypeClean: true,
    })
    expect(JSON.parse(report.json)).toEqual({
      constructor: 'x',
      toString: 'y',
      ['__proto__']: 'z',
      hasOwnProperty: '1',
    })
    expect(Object.hasOwn(JSON.parse(report.json), '__proto__')).toBe(true)
    // The page: rendered on the server, and the same data in the navigation payload.
    const page = await request(url + '/echo-query' + PROTO_QUERY)
    expect(page.status).toBe(200)
    expect(renderedJson(page.body, 'echo-query')).toMatchObject({ constructor: 'x', protoKey: 'z', prototype: 'null' })
    const nav = await request(url + '/__pareto/data/echo-query' + PROTO_QUERY)
    expect(nav.status).toBe(200)
    // The key travels as data (turbo-stream's form, since a JSON literal in a script would set the prototype).
    expect(nav.body).toContain('"__proto__"')
    expect(nav.body).toContain('"z"')
  })

  it('an overlong target gets 414 (over 8 KiB) or 431 from Node (over its 16 KiB header limit)', async () => {
    const long = final(await raw(url, head(`GET /echo-query?q=${'a'.repeat(9000)} HTTP/1.1`)))
    expect(long.status).toBe(414)
    expect(long.body).toMatch(/request target is \d+ bytes.*up to 8192.*POST body/)
    const huge = final(await raw(url, head(`GET /echo-query?q=${'a'.repeat(20_000)} HTTP/1.1`)))
    expect(huge.status).toBe(431)
    const justUnder = final(await raw(url, head(`GET /api/echo-query?q=${'a'.repeat(8000)} HTTP/1.1`)))
    expect(justUnder.status).toBe(200)
  })

  it('oversized headers: 431 from Node', async () => {
    const r = final(await raw(url, head('GET /blog/hello HTTP/1.1', { 'x-big': 'b'.repeat(20_000) })))
    expect(r.status).toBe(431)
  })

  it('an absolute-form target is answered as its path', async () => {
    const page = final(await raw(url, head('GET http://localhost/blog/hello HTTP/1.1')))
    expect(page.status).toBe(200)
    expect(page.body).toContain('<h1 id="post">Post <!-- -->hello</h1>')
    const api = final(await raw(url, head('GET http://localhost/api/items?page=2 HTTP/1.1')))
    expect(api.status).toBe(200)
    expect(JSON.parse(api.body)).toEqual({ items: [1, 2, 3], page: '2' })
  })

  it('methods a page does not take: 405 with Allow; one Node cannot parse: 400', async () => {
    for (const method of ['POST', 'DELETE', 'PROPFIND', 'TRACE']) {
      const r = final(await raw(url, head(`${method} /blog/hello HTTP/1.1`)))
      expect(r.status, method).toBe(405)
      expect(r.headers.allow).toBe('GET, HEAD, OPTIONS')
      expect(r.body).toContain(`Method ${method} is not allowed on /blog/hello: `)
      // A write names the page file and how to accept it; other methods say what a page answers.
      if (method === 'POST' || method === 'DELETE') expect(r.body).toContain('page.tsx has no action export')
    }
    expect(final(await raw(url, head('FROB /blog/hello HTTP/1.1'))).status).toBe(400)
  })

  it('CONNECT (a tunnel, for proxies): 405 with Allow, and the connection closed', async () => {
    const r = final(await raw(url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'))
    expect(r.status).toBe(405)
    expect(r.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
    expect(r.body).toContain('CONNECT is not supported')
  })

  it('OPTIONS * asks about the whole server: 204 with every method some route takes', async () => {
    const r = final(await raw(url, head('OPTIONS * HTTP/1.1')))
    expect(r.status).toBe(204)
    expect(r.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
  })

  it('OPTIONS: 204 with Allow, on a page and on a resource route', async () => {
    const page = final(await raw(url, head('OPTIONS /blog/hello HTTP/1.1')))
    expect(page.status).toBe(204)
    expect(page.headers.allow).toBe('GET, HEAD, OPTIONS')
    const api = final(await raw(url, head('OPTIONS /api/items HTTP/1.1')))
    expect(api.status).toBe(204)
    expect(api.headers.allow).toBe('OPTIONS, GET, HEAD, POST, PUT, PATCH, DELETE')
  })

  it('HEAD: the headers of GET and no body, on pages, the 404 page and resource routes', async () => {
    const page = final(await raw(url, head('HEAD /blog/hello HTTP/1.1')))
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.rawBodyLength).toBe(0)
    const missing = final(await raw(url, head('HEAD /no/such/page HTTP/1.1')))
    expect(missing.status).toBe(404)
    expect(missing.rawBodyLength).toBe(0)
    const api = final(await raw(url, head('HEAD /api/items HTTP/1.1')))
    expect(api.status).toBe(200)
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(Number(api.headers['content-length'])).toBeGreaterThan(0)
    expect(api.rawBodyLength).toBe(0)
  })

  it('an action body over 1 MB: 413, by its Content-Length and while streaming it', async () => {
    const declared = final(
      await raw(
        url,
        head('POST /api/items HTTP/1.1', { 'content-type': 'application/json', 'content-length': '2000000' }),
        '{"a":',
      ),
    )
    expect(declared.status).toBe(413)
    expect(JSON.parse(declared.body).error).toMatch(
      /^Request body of 2000000 bytes is larger than the 1048576-byte limit\. Raise bodyLimit in pareto\.config\.ts/,
    )
    const big = Buffer.alloc(1024 * 1024 + 10, 'a')
    const streamed = final(
      await raw(
        url,
        head('POST /api/items HTTP/1.1', { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }),
        `${big.length.toString(16)}\r\n`,
        big,
        '\r\n0\r\n\r\n',
      ),
    )
    expect(streamed.status).toBe(413)
    expect(JSON.parse(streamed.body).error).toMatch(/^Request body is larger than the 1048576-byte limit\./)
    // On a keep-alive connection the unread rest of the body cannot be taken for the next request: it is closed.
    const { hostname, port } = new URL(url)
    const keptAlive = await new Promise<string>((resolve) => {
      let got = ''
      const socket = net.connect(Number(port), hostname, () =>
        socket.write(
          'POST /api/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{"a":',
        ),
      )
      socket.on('data', (d) => (got += d.toString('latin1')))
      socket.on('error', () => {})
      socket.on('close', () => resolve(got))
      setTimeout(() => socket.destroy(), 5000)
    })
    expect(keptAlive).toMatch(/^HTTP\/1\.1 413 /)
    expect(keptAlive.toLowerCase()).toContain('connection: close')
  })

  it('malformed JSON to an action: 400 saying what is wrong and what to send', async () => {
    const r = await request(url + '/api/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.body).error).toMatch(
      /^Request body is not valid JSON \(.+\)\. Send a JSON document with Content-Type: application\/json\.$/,
    )
  })

  it('a body of a type Pareto does not parse reaches the action unread, as the request stream', async () => {
    const bytes = Buffer.from([1, 2, 255, 254, 0, 10])
    const r = final(
      await raw(
        url,
        head('POST /api/raw HTTP/1.1', {
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.length),
        }),
        bytes,
      ),
    )
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toEqual({ type: 'application/octet-stream', length: 6, bytes: [1, 2, 255, 254, 0, 10] })
    // Over bodyLimit by its Content-Length it is refused like any other body; within it the action reads it.
    const large = Buffer.alloc(2 * 1024 * 1024, 7)
    const big = final(
      await raw(
        url,
        head('POST /api/raw HTTP/1.1', { 'content-type': 'image/png', 'content-length': String(large.length) }),
        large,
      ),
    )
    expect(big.status).toBe(413)
    const fits = Buffer.alloc(1024 * 1024, 7)
    const within = final(
      await raw(
        url,
        head('POST /api/raw HTTP/1.1', { 'content-type': 'image/png', 'content-length': String(fits.length) }),
        fits,
      ),
    )
    expect(within.status).toBe(200)
    expect(JSON.parse(within.body)).toMatchObject({ type: 'image/png', length: fits.length })
    // Text is still read for the action.
    const text = await request(url + '/api/raw', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    })
    expect(JSON.parse(text.body)).toEqual({ parsed: 'hi' })
  })

  it('a navigation data request with ?path= instead of a path: 400 naming the parameter', async () => {
    const r = await request(url + '/__pareto/data?path=/blog/hello')
    expect(r.status).toBe(400)
    expect(r.body).toContain('the query parameter "path" but no path')
    expect(r.body).toContain('/__pareto/data/blog?x=1')
    // The prefix followed by a path still works, with any query.
    expect((await request(url + '/__pareto/data/blog/hello?path=x')).status).toBe(200)
  })

  it('a client that disconnects mid-stream (document and navigation data): nothing logged', async () => {
    const shell = await leave(url, 'GET /stream-nav HTTP/1.1\r\nHost: localhost\r\n\r\n', 'id="stream-nav"')
    expect(shell).toContain('HTTP/1.1 200 OK')
    const data = await leave(url, 'GET /__pareto/data/stream-nav HTTP/1.1\r\nHost: localhost\r\n\r\n', '"route"')
    expect(data).toContain('HTTP/1.1 200 OK')
    await leave(url, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'items</h1>')
    // Past the deferred values (1.2 s): the server has tried to write them to the closed connections.
    await wait(1500)
    expect(newStderr()).toBe('')
  })

  it('a client that disconnects mid-upload: nothing logged', async () => {
    await leave(
      url,
      head('POST /api/items HTTP/1.1', { 'content-type': 'application/json', 'content-length': '1000' }) + '{"a":',
      100,
    )
    await leave(
      url,
      head('POST /api/items HTTP/1.1', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }) +
        '5\r\n{"a":\r\n',
      100,
    )
    await wait(300)
    expect(newStderr()).toBe('')
  })

  it('a loader that throws a string or a plain object: the error page, 500, and a log line with its digest', async () => {
    for (const [query, logged] of [
      ['', 'thrown string value'],
      ['?kind=object', "{ code: 'E_PLAIN_OBJECT', detail: 'thrown object value' }"],
    ]) {
      const r = await request(url + '/throw-value' + query)
      expect(r.status).toBe(500)
      expect(r.body).toContain('Custom error page')
      expect(r.body).toContain('An error occurred on the server.')
      const digest = digestOf(r.body)
      expect(digest).toBeTruthy()
      await t.server.waitForOutput(`(digest: ${digest})`)
      expect(newStderr()).toContain(`[pareto] loader of app/throw-value/page.tsx failed for GET /throw-value${query}`)
      expect(newStderr()).toContain(logged)
    }
  })

  it('a layout that throws: the error page, 500, and a log line with its digest', async () => {
    const r = await request(url + '/layout-boom')
    expect(r.status).toBe(500)
    expect(r.body).toContain('Custom error page')
    expect(r.body).not.toContain('layout exploded')
    const digest = digestOf(r.body)!
    await t.server.waitForOutput(`(digest: ${digest})`)
    expect(newStderr()).toMatch(new RegExp(`\\(digest: ${digest}\\)\\nError: layout exploded while rendering`))
  })

  it('a head.tsx that throws: the error page, 500, and a log line with its digest', async () => {
    const r = await request(url + '/head-boom')
    expect(r.status).toBe(500)
    expect(r.body).toContain('Custom error page')
    const digest = digestOf(r.body)!
    await t.server.waitForOutput(`(digest: ${digest})`)
    expect(newStderr()).toMatch(new RegExp(`GET /head-boom failed \\(digest: ${digest}\\)\\nError: head exploded`))
  })

  it.runIf(key === 'plain')(
    'a getDocumentProps that throws: the error page, 500, and a log line with its digest',
    async () => {
      const r = await request(url + '/doc-boom')
      expect(r.status).toBe(500)
      expect(r.body).toContain('Custom error page')
      const digest = digestOf(r.body)!
      await t.server.waitForOutput(`(digest: ${digest})`)
      expect(newStderr()).toMatch(
        new RegExp(
          `getDocumentProps failed for GET /doc-boom \\(digest: ${digest}\\)\\nError: getDocumentProps exploded`,
        ),
      )
    },
  )
})

describe('query keys named after Object.prototype members, hydrated in a browser', () => {
  const env = useBrowser()

  it('the client gets the same data as the server rendered, with no hydration error', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(targets.basic!.server.url + '/echo-query' + PROTO_QUERY)
    await page.waitForSelector('#echo-query[data-hydrated="yes"]', { state: 'attached' })
    const shown = JSON.parse((await page.textContent('#echo-query'))!)
    expect(shown.query).toEqual({ constructor: 'x', toString: 'y', ['__proto__']: 'z', hasOwnProperty: '1' })
    expect(Object.hasOwn(shown.query, '__proto__')).toBe(true)
    expect(problems.errors).toEqual([])
    await page.close()
  })
})
