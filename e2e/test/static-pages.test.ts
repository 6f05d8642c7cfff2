// Static pages on the wire: the static-blog fixture built with `pareto build` and served by `pareto start`.
// Its loaders record process.pid, so a page shows which process ran them: the build's, or the server's.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixture, fixtureDir } from '../helpers/fixtures.js'
import { REPO_DIR } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { request } from '../helpers/wire.js'

const DIR = fixtureDir('static-blog')
let server: RunningServer
let buildOutput: string

/** A GET with exactly these headers (fetch would add Accept-Encoding), its body as the bytes sent. */
function raw(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Map<string, string>; bytes: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new Map(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
            bytes: Buffer.concat(chunks),
          }),
        )
      })
      .on('error', reject)
  })
}

/** The pid a page says rendered it. */
function pidOf(html: string): number {
  const m = /id="rendered-by" data-pid="(\d+)"/.exec(html)
  if (!m) throw new Error(`no rendered-by marker in:\n${html.slice(0, 2000)}`)
  return Number(m[1])
}

beforeAll(async () => {
  buildOutput = await buildFixture(DIR)
  server = await startServer(DIR, 'start')
})

afterAll(async () => {
  await server?.stop()
})

describe('static pages built once and served as files', () => {
  it('the build report lists each static page with its status and size', () => {
    expect(buildOutput).toMatch(/Static pages\s+status\s+HTML\s+gzip/)
    expect(buildOutput).toMatch(/\/blog\/hello\s+200\s+\d[\d.]* k?B\s+\d[\d.]* k?B/)
    expect(buildOutput).toMatch(/\/old → \/blog\/hello\s+308/)
    expect(buildOutput).toMatch(/\/gone\s+404/)
  })

  it('runs no loader per request: the page shows the build process, a page rendered per request the server', async () => {
    const serverPid = server.proc.pid!
    const staticPage = await request(`${server.url}/blog/hello`)
    const live = await request(`${server.url}/live`)
    expect(pidOf(live.body)).toBe(serverPid)
    expect(pidOf(staticPage.body)).not.toBe(serverPid)
    // The home page too (a static page without params), from the same build process.
    expect(pidOf((await request(`${server.url}/`)).body)).toBe(pidOf(staticPage.body))
  })

  it('sends the same bytes each time, with a strong ETag and a Cache-Control a CDN revalidates', async () => {
    const a = await raw(`${server.url}/blog/hello`)
    const b = await raw(`${server.url}/blog/hello`)
    expect(a.status).toBe(200)
    expect(a.bytes.equals(b.bytes)).toBe(true)
    expect(a.headers.get('etag')).toMatch(/^"[\w-]{22}"$/)
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'))
    expect(a.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate')
    expect(a.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(a.headers.get('content-length')).toBe(String(a.bytes.length))
    // Security headers as on any response.
    expect(a.headers.get('x-content-type-options')).toBe('nosniff')
    expect(a.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  })

  it('answers 304 to If-None-Match with the ETag, and the page again to another', async () => {
    const first = await raw(`${server.url}/blog/hello`)
    const etag = first.headers.get('etag')!
    const again = await raw(`${server.url}/blog/hello`, { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.bytes.length).toBe(0)
    expect(again.headers.get('etag')).toBe(etag)
    const changed = await raw(`${server.url}/blog/hello`, { 'if-none-match': '"something-else"' })
    expect(changed.status).toBe(200)
    expect(changed.bytes.equals(first.bytes)).toBe(true)
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await raw(`${server.url}/blog/hello`)
    const head = await request(`${server.url}/blog/hello`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(head.headers['etag']).toBe(get.headers.get('etag'))
    expect(head.headers['content-length']).toBe(String(get.bytes.length))
  })

  it('renders deferred data in place: no fallback, no swap script, still booting the client', async () => {
    const { body } = await request(`${server.url}/blog/hello`)
    expect(body).toContain('<ul id="comments"><li>First comment on hello</li>')
    expect(body).not.toContain('Loading comments')
    expect(body).not.toContain('comments-fallback')
    expect(body).not.toContain('$RC')
    expect(body).toMatch(/<script type="module" src="\/assets\/client-entry-[\w-]+\.js"/)
  })

  it('serves the precompressed page to a client that accepts brotli or gzip', async () => {
    const plain = await raw(`${server.url}/blog/hello`)
    const br = await raw(`${server.url}/blog/hello`, { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(zlib.brotliDecompressSync(br.bytes).equals(plain.bytes)).toBe(true)
    expect(br.headers.get('etag')).not.toBe(plain.headers.get('etag'))
    const gz = await raw(`${server.url}/blog/hello`, { 'accept-encoding': 'gzip' })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(zlib.gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true)
  })

  it('renders params staticParams did not list per request, with their loader', async () => {
    const res = await request(`${server.url}/blog/unlisted`)
    expect(res.status).toBe(200)
    expect(pidOf(res.body)).toBe(server.proc.pid)
    expect(res.headers['etag']).toBeUndefined()
    expect(res.headers['cache-control']).toBe('no-store')
    expect((await request(`${server.url}/blog/missing`)).status).toBe(404)
  })

  it('finds a page whatever the URL form: encoded params, a trailing slash', async () => {
    const encoded = await request(`${server.url}/blog/h%C3%A9llo%20w%C3%B6rld`)
    expect(encoded.status).toBe(200)
    expect(encoded.body).toContain('Post: <!-- -->héllo wörld')
    expect(encoded.headers['etag']).toBeDefined()
    const slash = await request(`${server.url}/blog/hello/`)
    expect(slash.headers['etag']).toBe((await request(`${server.url}/blog/hello`)).headers['etag'])
    expect((await request(`${server.url}/docs/api/start`)).body).toContain('Doc: <!-- -->api/start')
    expect((await request(`${server.url}/docs`)).body).toContain('Doc: <!-- -->(index)')
  })

  it('keeps a redirect as a redirect and notFound() as a 404, with their navigation data', async () => {
    const old = await request(`${server.url}/old`)
    expect(old.status).toBe(308)
    expect(old.headers['location']).toBe('/blog/hello')
    const gone = await request(`${server.url}/gone`)
    expect(gone.status).toBe(404)
    expect(gone.body).toMatch(/^<!DOCTYPE html>/)
    const oldData = await request(`${server.url}/__pareto/data/old`)
    expect(oldData.body).toContain('"kind":"redirect"')
    expect(oldData.body).toContain('"location":"/blog/hello"')
  })

  it("serves a static page's navigation data from its file, every frame in it", async () => {
    const html = await request(`${server.url}/blog/hello`)
    const res = await request(`${server.url}/__pareto/data/blog/hello?from=link`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/x-pareto-frames; charset=utf-8')
    expect(res.headers['etag']).toMatch(/^"[\w-]{22}"$/)
    expect(res.headers['cache-control']).toBe('public, max-age=0, must-revalidate')
    expect(res.body).toContain(`"pid":${pidOf(html.body)}`)
    // The deferred comments are in the file, after the first frame.
    expect(res.body.split('\n')[1]).toContain('First comment on hello')
    const again = await request(`${server.url}/__pareto/data/blog/hello`, {
      headers: { 'if-none-match': res.headers['etag'] as string },
    })
    expect(again.status).toBe(304)
  })

  it('sends a POST to a static page to the request handler (its action), not the file', async () => {
    const res = await request(`${server.url}/blog/hello`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: 'title=x',
    })
    expect(res.headers['etag']).toBeUndefined()
    expect(res.status).toBe(200)
    expect(res.body).toContain('"saved":true')
    // Rendered now, by the server: the action runs first, then the loaders.
    expect(pidOf(res.body)).toBe(server.proc.pid)
  })
})

describe('static pages in the client build', () => {
  it('holds no string of a module only staticParams imports (the server build has it)', () => {
    const needle = 'slug-list-only-for-static-params'
    const files = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.m?js$/.test(e.name))
        .map((e) => join(e.parentPath, e.name))
    const client = files(join(DIR, '.pareto/client'))
    expect(client.length).toBeGreaterThan(0)
    expect(client.filter((f) => readFileSync(f, 'utf8').includes(needle))).toEqual([])
    // Positive control: the string is in the build, on the server side, so the search above can find it.
    expect(files(join(DIR, '.pareto/server')).some((f) => readFileSync(f, 'utf8').includes(needle))).toBe(true)
    // And no static config reached the browser either.
    expect(client.filter((f) => /render:\s*["']static["']/.test(readFileSync(f, 'utf8')))).toEqual([])
  })
})

/** A copy of the fixture with `files` added (path → source), resolving packages from the repository. */
function copyWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-static-'))
  cpSync(DIR, dir, { recursive: true, filter: (src) => !['node_modules', '.pareto'].includes(relative(DIR, src)) })
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  for (const [path, source] of Object.entries(files)) {
    writeFileSync(join(dir, path), source)
  }
  return dir
}

describe('static build failures name the file', () => {
  it('a loader that throws for one of the params fails the build, naming the file and the params', async () => {
    const dir = copyWith({
      'app/blog/[slug]/page.tsx': readFileSync(join(DIR, 'app/blog/[slug]/page.tsx'), 'utf8').replace(
        "if (slug === 'missing') notFound()",
        "if (slug === 'second') throw new Error('the CMS is down for second')",
      ),
    })
    try {
      const failed = buildFixture(dir)
      await expect(failed).rejects.toThrow(
        /app\/blog\/\[slug\]\/page\.tsx, building \/blog\/second with params \{"slug":"second"\}: the page answered 500/,
      )
      await expect(failed).rejects.toThrow(/the CMS is down for second/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a static route with params and no staticParams fails the build, naming the file', async () => {
    const dir = copyWith({
      'app/blog/[slug]/page.tsx': readFileSync(join(DIR, 'app/blog/[slug]/page.tsx'), 'utf8').replace(
        'export async function staticParams()',
        'async function unusedParams()',
      ),
    })
    try {
      await expect(buildFixture(dir)).rejects.toThrow(
        /app\/blog\/\[slug\]\/page\.tsx is static and its URL \(\/blog\/\[slug\]\) has params, but it exports no staticParams\(\)/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
