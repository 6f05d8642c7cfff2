// Static pages behind Debian's nginx serving the HTML itself: the nginx block of packages/core/docs/static.md
// ("Serving the HTML from nginx"), so the documented configuration is the tested one, in front of one
// `pareto start` of the static-blog fixture. scripts/ensure-nginx.sh installs nginx.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir, userInfo } from 'node:os'
import { delimiter, isAbsolute, join } from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../helpers/browser.js'
import { buildFixture, fixtureDir, openIsolatedPage } from '../helpers/fixtures.js'
import { REPO_DIR } from '../helpers/paths.js'
import { freePort, waitFor } from '../helpers/process.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'

const DIR = fixtureDir('static-blog')
const DOC = join(REPO_DIR, 'packages/core/docs/static.md')

/** nginx from PATH, or where Debian's package puts it (outside a non-root user's PATH). */
function findNginx(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(isAbsolute), '/usr/sbin']
  const found = dirs.map((d) => join(d, 'nginx')).find((f) => existsSync(f))
  if (!found) throw new Error('nginx is not installed: run scripts/ensure-nginx.sh (npm test runs it first).')
  return found
}

/** static.md's nginx block with the upstream port, the listen line and the static root replaced (each exactly once). */
function documentedSite(upstream: number, port: number): string {
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(/^```nginx\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
  if (blocks.length !== 1) throw new Error('static.md must have exactly one ```nginx block: update this test with it')
  let site = blocks[0]!
  for (const [from, to] of [
    ['server 127.0.0.1:3000;', `server 127.0.0.1:${upstream};`],
    ['listen 80;', `listen 127.0.0.1:${port};`],
    ['root /srv/app/.pareto/static;', `root ${join(DIR, '.pareto/static')};`],
  ]) {
    const parts = site.split(from!)
    if (parts.length !== 2) throw new Error(`static.md's nginx block must have "${from}" exactly once`)
    site = parts.join(to)
  }
  return site
}

let server: RunningServer
let nginx: { url: string; dir: string; proc: ChildProcess; log: () => string[] }

beforeAll(async () => {
  await buildFixture(DIR)
  server = await startServer(DIR, 'start')
  const dir = mkdtempSync(join(tmpdir(), 'pareto-static-nginx-'))
  const port = await freePort()
  // As root, nginx's workers would switch to "nobody", who cannot enter the private temp dir.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : ''
  mkdirSync(join(dir, 'tmp'))
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${user}daemon off;
worker_processes 1;
pid nginx.pid;
error_log error.log info;
events { worker_connections 64; }
http {
  log_format up '$request_method $request_uri $status "$upstream_addr"';
  access_log access.log up;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
${documentedSite(server.port, port)}
}
`,
  )
  const proc = spawn(findNginx(), ['-p', dir + '/', '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' })
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '')
  await waitFor(() => {
    if (proc.exitCode !== null) throw new Error(`nginx exited at start:\n${read('error.log')}`)
    return read('error.log').includes('start worker process')
  }, 'nginx to start')
  nginx = { url: `http://127.0.0.1:${port}`, dir, proc, log: () => read('access.log').split('\n').filter(Boolean) }
})

afterAll(async () => {
  if (nginx) {
    const exited = new Promise((r) => nginx.proc.once('exit', r))
    nginx.proc.kill('SIGTERM')
    await exited
    rmSync(nginx.dir, { recursive: true, force: true })
  }
  await server?.stop()
})

/** A request through nginx with exactly these headers; the body as sent (not decompressed). */
function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    const req = http.request(nginx.url + path, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/** Which upstream nginx used for the last request to `uri` ("-": it answered from a file). */
async function upstreamOf(method: string, uri: string): Promise<string> {
  const line = await waitFor(
    () => [...nginx.log()].reverse().find((l) => l.startsWith(`${method} ${uri} `)),
    `the access log line of ${method} ${uri}`,
  )
  return /"([^"]*)"$/.exec(line)![1]!
}

describe('static pages served by nginx from the files (docs/static.md)', () => {
  it('sends a static page itself, with the type, headers and bytes pareto start would send', async () => {
    const res = await send('/blog/hello')
    expect(res.status).toBe(200)
    expect(await upstreamOf('GET', '/blog/hello')).toBe('-')
    expect(res.bytes.equals(readFileSync(join(DIR, '.pareto/static/blog/hello/index.html')))).toBe(true)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('public, max-age=0, must-revalidate')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
    const again = await send('/blog/hello', { headers: { 'if-none-match': res.headers['etag']! } })
    expect(again.status).toBe(304)
  })

  it('sends the gzip copy, the root page and an encoded URL from the files', async () => {
    const gz = await send('/blog/hello', { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.headers['vary']).toMatch(/Accept-Encoding/)
    expect(zlib.gunzipSync(gz.bytes).toString()).toContain('First comment on hello')
    expect((await send('/')).bytes.toString()).toContain('The static blog')
    expect(await upstreamOf('GET', '/')).toBe('-')
    expect((await send('/blog/h%C3%A9llo%20w%C3%B6rld')).bytes.toString()).toContain('Post: <!-- -->héllo wörld')
    expect(await upstreamOf('GET', '/blog/h%C3%A9llo%20w%C3%B6rld')).toBe('-')
  })

  it("sends a static page's navigation data from its file, as pareto start types it", async () => {
    const res = await send('/__pareto/data/blog/hello')
    expect(res.status).toBe(200)
    expect(await upstreamOf('GET', '/__pareto/data/blog/hello')).toBe('-')
    expect(res.headers['content-type']).toBe('text/x-pareto-frames; charset=utf-8')
    expect(res.bytes.toString()).toContain('First comment on hello')
  })

  it('passes everything else to pareto start: POST (the action), per-request pages, assets, kept redirects', async () => {
    const post = await send('/blog/hello', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: nginx.url },
      body: 'title=x',
    })
    expect(post.status).toBe(200)
    expect(post.bytes.toString()).toContain('"saved":true')
    expect(await upstreamOf('POST', '/blog/hello')).not.toBe('-')
    const live = await send('/live')
    expect(live.bytes.toString()).toContain(`data-pid="${server.proc.pid}"`)
    expect(await upstreamOf('GET', '/live')).not.toBe('-')
    const old = await send('/old')
    expect([old.status, old.headers['location']]).toEqual([308, '/blog/hello'])
    expect((await send('/gone')).status).toBe(404)
    const html = (await send('/blog/hello')).bytes.toString()
    const script = /src="(\/assets\/client-entry-[\w-]+\.js)"/.exec(html)![1]!
    expect((await send(script)).status).toBe(200)
  })

  it('navigates in Chromium through nginx: static → per request → static, no document load', async () => {
    const browser = await launch()
    try {
      const { page, problems, close } = await openIsolatedPage(browser)
      const documents: string[] = []
      page.on('request', (r) => void (r.resourceType() === 'document' && documents.push(r.url())))
      await page.goto(`${nginx.url}/blog/hello`)
      await page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached' })
      await page.click('#to-live')
      await page.waitForSelector('#title:text("Live")')
      await page.click('#to-second')
      await page.waitForSelector('#title:text("Post: second")')
      expect(await page.textContent('#comments')).toContain('First comment on second')
      expect(documents).toEqual([`${nginx.url}/blog/hello`])
      expect(await upstreamOf('GET', '/__pareto/data/blog/second')).toBe('-')
      expect(problems).toEqual({ errors: [], warnings: [], failedRequests: [] })
      await close()
    } finally {
      await browser.close()
    }
  })
})
