// One build, the same behaviour on every runtime: the runtime-independent suite, written once and run against
// `pareto start` (Node-native), the built fetch.js on Node (through @remix-run/node-fetch-server), on Bun and on
// Deno, and a smaller set against the Workers build on workerd (`wrangler dev`). Bun, Deno and wrangler come from
// scripts/ensure-runtimes.sh; a target whose build output or runtime is missing is skipped, saying why.
import { execFile } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, openPage } from '../helpers/browser.js'
import { CLI, FIXTURE, REPO_DIR } from '../helpers/paths.js'
import {
  cloudflareProject,
  fetchEntry,
  runtimeBinary,
  startBun,
  startDeno,
  startFetchOnNode,
  startParetoStart,
  startWrangler,
} from '../helpers/runtimes.js'
import type { RuntimeServer } from '../helpers/runtimes.js'
import { CHART_SETTLES, expectSeedStreams } from '../helpers/seed.js'
import { arrivalOf, fetchTimed, rawExchange, request } from '../helpers/wire.js'

// Flip to true once `pareto build` writes <outDir>/server/fetch.js: a missing file then fails instead of skipping.
const REQUIRE_FETCH_BUILD = true

interface Target {
  name: string
  /** Why the target cannot run here; undefined when it can. */
  skip?: string
  /** false: the smaller set (workerd through wrangler dev, slow to start and without a log of its own). */
  full: boolean
  start: () => Promise<RuntimeServer>
}

const FETCH_JS = fetchEntry(FIXTURE)
const rel = (path: string) => relative(REPO_DIR, path)

/** Why a target on `binary` cannot run, if it cannot: no fetch.js yet, or (outside CI) no runtime installed. */
function missing(binary?: 'bun' | 'deno'): string | undefined {
  if (!existsSync(FETCH_JS) && !REQUIRE_FETCH_BUILD)
    return `${rel(FETCH_JS)} is missing: pareto build does not write it`
  // Under CI a missing runtime fails (its start says what to run) rather than passing quietly as skipped.
  if (binary && !runtimeBinary(binary) && !process.env.CI)
    return `${binary} is not installed: run scripts/ensure-runtimes.sh`
  return undefined
}

/** Whether the built CLI knows `--target cloudflare` (its code holds the target's name as a string). */
function cliBuildsForCloudflare(): boolean {
  const dist = join(REPO_DIR, 'packages/core/dist')
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))
  return files.some((f) => /["'`]cloudflare["'`]/.test(readFileSync(join(dist, f), 'utf8')))
}

/**
 * A copy of the fixture without app.ts (an Express app has no place on Workers), built with
 * `pareto build --target cloudflare`; resolves with the copy's folder.
 */
async function buildCloudflareCopy(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-runtimes-'))
  for (const entry of ['app', 'lib', 'public', 'vite.config.ts', 'package.json', '.env'])
    cpSync(join(FIXTURE, entry), join(dir, entry), { recursive: true })
  writeFileSync(
    join(dir, 'pareto.config.ts'),
    `export default { streamTimeout: 1500, wholePage: (_req: unknown, isBot: boolean) => isBot }\n`,
  )
  // The copy resolves the same packages as the fixture, from the repository's node_modules.
  const modules = join(dir, 'node_modules')
  mkdirSync(join(modules, '@paretojs'), { recursive: true })
  for (const pkg of ['@paretojs/core', 'react', 'react-dom', 'vite'])
    symlinkSync(join(REPO_DIR, 'node_modules', pkg), join(modules, pkg), 'dir')
  try {
    await promisify(execFile)(process.execPath, [CLI, 'build', '--target', 'cloudflare'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    throw new Error(`pareto build --target cloudflare failed in a copy of the fixture:\n${e.stdout}\n${e.stderr}`)
  }
  return dir
}

const targets: Target[] = [
  { name: 'node pareto start', full: true, start: () => startParetoStart(FIXTURE) },
  { name: 'fetch handler on node', full: true, skip: missing(), start: () => startFetchOnNode(FETCH_JS, FIXTURE) },
  { name: 'bun', full: true, skip: missing('bun'), start: () => startBun(FETCH_JS, FIXTURE) },
  { name: 'deno', full: true, skip: missing('deno'), start: () => startDeno(FETCH_JS, FIXTURE) },
  {
    name: 'workerd (wrangler dev)',
    full: false,
    skip: !cliBuildsForCloudflare()
      ? 'pareto build has no --target cloudflare'
      : !runtimeBinary('wrangler') && !process.env.CI
        ? 'wrangler is not installed: run scripts/ensure-runtimes.sh'
        : undefined,
    start: async () => {
      const dir = await buildCloudflareCopy()
      const server = await startWrangler(cloudflareProject(dir)).catch((error: unknown) => {
        rmSync(dir, { recursive: true, force: true })
        throw error
      })
      return {
        ...server,
        stop: async () => {
          await server.stop()
          rmSync(dir, { recursive: true, force: true })
        },
      }
    },
  },
]

// The fixture's table settles 300 ms after the loader runs, the chart 900 ms after; its streamTimeout is 1500 ms.
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'x-dns-prefetch-control': 'off',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
}

/** A request that says `Connection: close`, as rawExchange needs. */
const raw = (line: string, headers = '') => `${line}\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`

/** Starts a GET and destroys it after `ms`, before any response: the client going away. */
function leaveAfter(url: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => res.resume())
    req.on('error', () => resolve())
    setTimeout(() => {
      req.destroy()
      resolve()
    }, ms)
  })
}

let browser: Browser | undefined
afterAll(async () => {
  await browser?.close()
})

for (const target of targets) {
  describe.skipIf(target.skip !== undefined)(
    target.skip ? `${target.name} (skipped: ${target.skip})` : target.name,
    () => {
      let server: RuntimeServer
      beforeAll(async () => {
        server = await target.start()
        // One whole page first, so the timings below measure the runtime's streaming, not its first compile.
        await request(server.url + '/')
      }, 180_000)
      afterAll(() => server?.stop())
      const full = it.skipIf(!target.full)

      it('streams the seed page: the shell before any deferred value, each value as it settles, then the end', async () => {
        const r = await fetchTimed(server.url + '/')
        expect(r.status).toBe(200)
        expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
        expectSeedStreams(r)
      })

      it('answers a resource route with JSON, its headers and its action', async () => {
        const get = await request(server.url + '/api/items?page=2')
        expect(get.status).toBe(200)
        expect(get.headers['content-type']).toMatch(/^application\/json/)
        expect(get.headers['x-items']).toBe('yes')
        expect(JSON.parse(get.body)).toEqual({ items: [1, 2, 3], page: '2' })
        const post = await request(server.url + '/api/items', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"a":1}',
        })
        expect(post.status).toBe(201)
        expect(JSON.parse(post.body)).toEqual({ created: { a: 1 }, method: 'POST' })
      })

      it('answers an unknown URL with 404 and the not-found page inside the root layout', async () => {
        const r = await request(server.url + '/no/such/page')
        expect(r.status).toBe(404)
        expect(r.body).toContain('<h1 id="not-found">Nothing here</h1>')
        expect(r.body).toContain('id="root-layout"')
      })

      full('cuts a never-settling promise at the stream timeout, and the response ends', async () => {
        const r = await fetchTimed(server.url + '/never')
        expect(r.status).toBe(200)
        expect(arrivalOf(r, '<h1>Never settles</h1>')).toBeLessThan(1000)
        expect(r.end).toBeGreaterThanOrEqual(1400)
        expect(r.end).toBeLessThan(4000)
        expect(r.body).toContain('StreamTimeoutError')
        expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
      })

      full("aborts the loader's signal when the client goes away, and not after a finished response", async () => {
        const id = Math.random().toString(36).slice(2, 8)
        // The loader takes 600 ms: the client leaves at 200 ms, while it runs.
        await leaveAfter(`${server.url}/slow?n=left-${id}`, 200)
        await server.waitForOutput(`[fixture] slow loader aborted n=left-${id}`, 3000)
        const stayed = await request(`${server.url}/slow?n=stayed-${id}`)
        expect(stayed.status).toBe(200)
        expect(stayed.body).toContain(`Slow page <!-- -->stayed-${id}`)
        // Long enough for an abort fired when the response finished (or its connection idled) to be logged.
        await new Promise((r) => setTimeout(r, 500))
        expect(server.output()).not.toContain(`aborted n=stayed-${id}`)
      })

      full('answers a failing loader with 500, the error page and a digest; the message only in the log', async () => {
        const r = await request(server.url + '/boom')
        expect(r.status).toBe(500)
        expect(r.body).toContain('Custom error page')
        expect(r.body).not.toContain('postgres://')
        const digest = /id="error-digest">([0-9a-f]+)</.exec(r.body)?.[1]
        expect(digest).toBeTruthy()
        await server.waitForOutput(`digest: ${digest}`)
        expect(server.output()).toContain('postgres://')
      })

      full('gives a crawler the finished page: every deferred value in place, nothing before the data', async () => {
        const r = await fetchTimed(server.url + '/', { 'user-agent': GOOGLEBOT })
        expect(r.status).toBe(200)
        expect(r.body).toContain('<td>Alpha</td>')
        expect(r.body).toContain('<div id="chart">3,1,4,1,5</div>')
        expect(r.body).not.toContain('class="skeleton"')
        expect(r.body).not.toMatch(/<template id="B:|\$RC\(|<div hidden id="S:/)
        expect(arrivalOf(r, '<!DOCTYPE html>')).toBeGreaterThan(CHART_SETTLES - 100)
      })

      full('sets the security headers on pages and on the 404 page', async () => {
        for (const path of ['/blog/hello', '/no/such/page']) {
          const r = await request(server.url + path)
          for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(r.headers[name], path).toBe(value)
        }
      })

      full('answers a method the page does not take with 405 and Allow', async () => {
        const r = await request(server.url + '/blog/hello', { method: 'DELETE' })
        expect(r.status).toBe(405)
        expect(r.headers.allow).toBe('GET, HEAD, OPTIONS')
      })

      full('answers an action body over bodyLimit (1 MB) with 413', async () => {
        const body = JSON.stringify({ a: 'a'.repeat(1024 * 1024) })
        const r = await request(server.url + '/api/items', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
          body,
        })
        expect(r.status).toBe(413)
        expect(JSON.parse(r.body).error).toMatch(/larger than the 1048576-byte limit\. Raise bodyLimit/)
      })

      full('answers a request target over 8 KiB with 414', async () => {
        const r = await request(`${server.url}/echo-query?q=${'a'.repeat(9000)}`)
        expect(r.status).toBe(414)
      })

      full('answers a malformed path with 400', async () => {
        const [r] = (await rawExchange(server.url, raw('GET /%E0%A4%A HTTP/1.1'))).filter((x) => x.status >= 200)
        expect(r!.status).toBe(400)
      })

      full('sends two cookies as two Set-Cookie headers', async () => {
        const r = await request(server.url + '/two-cookies')
        expect(r.status).toBe(200)
        expect(r.body).toContain('<p id="two-cookies">2<!-- --> cookies set</p>')
        const cookies = r.headers['set-cookie'] ?? []
        expect(cookies).toHaveLength(2)
        expect(cookies[0]).toMatch(/^session=abc; Path=\/; HttpOnly; SameSite=Lax$/)
        expect(cookies[1]).toMatch(/^theme=dark; Max-Age=60; Path=\/; Expires=\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT$/)
      })

      full("answers HEAD with GET's status and headers and no body", async () => {
        const responses = await rawExchange(server.url, raw('HEAD /blog/hello HTTP/1.1'))
        const r = responses.find((x) => x.status >= 200)!
        expect(r.status).toBe(200)
        expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
        expect(r.body).toBe('')
      })

      full('hydrates the seed page in Chromium with a clean console', async () => {
        browser ??= await launch()
        const { page, problems } = await openPage(browser)
        await page.goto(server.url + '/', { waitUntil: 'commit' })
        await page.waitForSelector('#chart')
        expect(await page.locator('.skeleton').count()).toBe(0)
        await page.waitForLoadState('load')
        await page.click('#counter')
        await page.waitForSelector('#counter:has-text("clicked 1")')
        expect(problems.errors).toEqual([])
        expect(problems.warnings.filter((w) => /hydrat/i.test(w))).toEqual([])
        await page.close()
      })
    },
  )
}
