import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBrowser } from '../helpers/setup.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { buildFixture, fixtureDir, openIsolatedPage, resolvedVersion, warmUpDev } from '../helpers/fixtures.js'
import { request } from '../helpers/wire.js'

// A project-root app.ts (default export: an Express app whose routes and middleware run before Pareto) on
// Express 4 and on Express 5. Express 4 swaps the request's prototype for its own: a server that gave the
// request Pareto's getters lost `req.query` inside the app's own routes. The app's routes must get Express's
// own request and response, untouched, and Pareto's loaders must still see the query, cookies and path.

interface ExpressFixture {
  name: string
  /** The package name the fixture installs Express under, and the major version it must resolve to. */
  express: { pkg: string; major: number }
  /** `?a=1&a=2&x[y]=z` as this Express parses it by default: Express 4 uses qs (nested objects), Express 5 the simple parser. */
  richQuery: Record<string, unknown>
}

const FIXTURES: ExpressFixture[] = [
  { name: 'express4', express: { pkg: 'express4', major: 4 }, richQuery: { a: ['1', '2'], x: { y: 'z' } } },
  { name: 'express5', express: { pkg: 'express', major: 5 }, richQuery: { a: ['1', '2'], 'x[y]': 'z' } },
]

const decodeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** The loader data the /echo page printed, from its server-rendered HTML. */
function echoOf(html: string): Record<string, unknown> {
  const m = /<pre id="echo">([\s\S]*?)<\/pre>/.exec(html)
  if (!m) throw new Error(`no <pre id="echo"> in the page:\n${html.slice(0, 2000)}`)
  return JSON.parse(decodeHtml(m[1])) as Record<string, unknown>
}

const env = useBrowser()

for (const fx of FIXTURES) {
  const dir = fixtureDir(fx.name)
  const fromApp = `express ${fx.express.major} middleware`

  describe(`app.ts on Express ${fx.express.major} (fixture ${fx.name})`, () => {
    it(`the fixture resolves Express ${fx.express.major}`, () => {
      expect(Number(resolvedVersion(dir, fx.express.pkg).split('.')[0])).toBe(fx.express.major)
    })

    for (const command of ['start', 'dev'] as const) {
      describe(command === 'start' ? 'production (pareto build + start)' : 'pareto dev', () => {
        let server: RunningServer
        beforeAll(async () => {
          if (command === 'start') await buildFixture(dir)
          server = await startServer(dir, command)
          if (command === 'dev') await warmUpDev(env.browser, server.url, ['/', '/echo'])
        })
        afterAll(async () => {
          await server?.stop()
        })

        it("the app's own route answers: /app-health", async () => {
          const r = await request(server.url + '/app-health')
          expect(r.status).toBe(200)
          expect(JSON.parse(r.body)).toEqual({ ok: true, express: fx.express.major })
          expect(r.headers['x-from-app']).toBe(`express${fx.express.major}`)
        })

        it("the app's own route gets Express's own request: req.query, req.get, req.ip, its prototype", async () => {
          const r = await request(server.url + '/app-query?a=1&b=2')
          expect(r.status, r.body).toBe(200)
          const body = JSON.parse(r.body) as Record<string, unknown>
          expect(body).toMatchObject({
            query: { a: '1', b: '2' },
            isExpressReq: true,
            path: '/app-query',
            protoIsExpress: true,
            isIncomingMessage: true,
            fromApp,
          })
          expect(body.host).toMatch(/^(127\.0\.0\.1|localhost):\d+$/)
          expect(body.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/)
        })

        it("the app's route sees the query as this Express parses it (its own parser, not Pareto's)", async () => {
          const r = await request(server.url + '/app-query?a=1&a=2&x[y]=z')
          expect(r.status, r.body).toBe(200)
          expect((JSON.parse(r.body) as { query: unknown }).query).toEqual(fx.richQuery)
        })

        it("a page's loader behind the app sees the query, cookies, path, and what the app's middleware set", async () => {
          const r = await request(server.url + '/echo?a=1&b=2', { headers: { cookie: 'token=abc; theme=dark' } })
          expect(r.status, r.body.slice(0, 2000)).toBe(200)
          expect(r.headers['x-from-app']).toBe(`express${fx.express.major}`)
          expect(echoOf(r.body)).toMatchObject({
            query: { a: '1', b: '2' },
            cookies: { token: 'abc', theme: 'dark' },
            path: '/echo',
            method: 'GET',
            fromApp,
            isExpressReq: true,
          })
        })

        it("a navigation data request gives the loader the target page's query and cookies", async () => {
          const r = await request(server.url + '/__pareto/data/echo?from=data&n=3', {
            headers: { cookie: 'token=nav' },
          })
          expect(r.status, r.body).toBe(200)
          expect(r.headers['content-type']).toContain('text/x-pareto-frames')
          for (const text of ['"from"', '"data"', '"n"', '"3"', '"token"', '"nav"', '"/echo"', `"${fromApp}"`])
            expect(r.body, text).toContain(text)
        })

        it("Pareto's own routing still answers after the app: a page and a 404", async () => {
          const home = await request(server.url + '/')
          expect(home.status).toBe(200)
          expect(home.body).toContain('<h1 id="home">home</h1>')
          const missing = await request(server.url + '/no/such/page')
          expect(missing.status).toBe(404)
        })

        it('in Chromium: the page hydrates and a Link navigates client-side to the loader that sees the query', async () => {
          const { page, problems, close } = await openIsolatedPage(env.browser)
          await page.goto(server.url + '/')
          await page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached' })
          await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
          await page.click('#to-echo')
          await page.waitForSelector('#echo')
          const echo = JSON.parse((await page.textContent('#echo')) ?? 'null') as Record<string, unknown>
          expect(echo).toMatchObject({ query: { from: 'link', n: '2' }, path: '/echo', fromApp, isExpressReq: true })
          expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)
          expect(problems.failedRequests).toEqual([])
          expect(problems.errors).toEqual([])
          await close()
        })
      })
    }
  })
}
