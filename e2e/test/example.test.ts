// The example app (examples/streaming) as a user runs it: `pareto build`, `pareto start`, then the wire and
// Chromium. It uses what real apps use: Tailwind 4 through app/globals.css, an Express app.ts, SQLite
// through better-sqlite3 (a native module), loaders that import server-only code, nested error boundaries.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launch, openPage } from '../helpers/browser.js'
import { CLI, REPO_DIR } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

const EXAMPLE = resolve(REPO_DIR, 'examples/streaming')
/** The example's seed (examples/streaming/lib/server/db.ts): 4000 orders, ids 1001..5000, newest last. */
const ORDERS = 4000
const NEWEST_ORDER = 5000

// A fresh database file for every run, so "created and seeded on first start" is what is tested each time.
const dbDir = mkdtempSync(join(tmpdir(), 'pareto-example-db-'))
const DATABASE_PATH = join(dbDir, 'shop.sqlite')

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  const built = promisify(execFile)(process.execPath, [CLI, 'build'], { cwd: EXAMPLE })
  const [, b] = await Promise.all([built, launch()])
  browser = b
  server = await startServer(EXAMPLE, 'start', { env: { DATABASE_PATH } })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dbDir, { recursive: true, force: true })
})

describe('the example on the wire', () => {
  it('sends the dashboard shell (with its first-HTML counts and the stylesheet) before the deferred data, which arrives in settle order', async () => {
    const r = await fetchTimed(server.url + '/')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toMatch(/^text\/html/)
    const shell = arrivalOf(r, `>${ORDERS}<!-- --> orders</h1>`)
    const skeleton = arrivalOf(r, 'aria-label="Loading recent orders"')
    const table = arrivalOf(r, 'data-testid="orders-table"')
    const bestSellers = arrivalOf(r, 'data-testid="top-products"')
    const chart = arrivalOf(r, 'data-testid="revenue-chart"')
    // Each query waits 600 / 800 / 1100 ms (the example's documented artificial latency) before it runs.
    expect(table - shell).toBeGreaterThanOrEqual(400)
    expect(table - skeleton).toBeGreaterThanOrEqual(400)
    expect(bestSellers).toBeGreaterThan(table)
    expect(chart).toBeGreaterThan(bestSellers)
    // The wire keeps Dates as Dates: the table's cells went through instanceof Date on the server.
    expect(r.body).not.toContain('not a Date')
    // The shell's <head> links the CSS, so the first paint is styled (no flash of unstyled content).
    const head = r.body.slice(0, r.body.indexOf('</head>'))
    expect(head).toMatch(/<link rel="stylesheet" href="\/assets\/[^"]+\.css"/)
  })

  it('app/globals.css is on every page without an import, compiled by Tailwind 4 from the example vite.config.ts', async () => {
    const paths = ['/', '/orders', `/orders/${NEWEST_ORDER}`, '/about', '/no-such-page']
    const pages = await Promise.all(paths.map((path) => request(server.url + path)))
    for (const [i, path] of paths.entries()) {
      const page = pages[i]
      const links = [
        ...page.body.slice(0, page.body.indexOf('</head>')).matchAll(/<link rel="stylesheet" href="([^"]+)"/g),
      ].map((m) => m[1])
      expect(links.length, `stylesheets of ${path}`).toBeGreaterThan(0)
      const css = (await Promise.all(links.map((href) => request(server.url + href).then((c) => c.body)))).join('\n')
      // @theme in globals.css, the @utility it defines, and utilities Tailwind found in app/ and lib/.
      expect(css, `CSS of ${path}`).toContain('--color-brand-700')
      expect(css).toMatch(/\.card\{/)
      expect(css).toContain('.bg-brand-700')
      expect(css).not.toContain('@tailwind')
      expect(css).not.toMatch(/@import\s+['"]tailwindcss['"]/)
    }
  })

  it('the Express app.ts answers /healthz itself, and its middleware runs before Pareto on pages too', async () => {
    const health = await request(server.url + '/healthz', { headers: { 'x-request-id': 'probe-1' } })
    expect(health.status).toBe(200)
    expect(health.headers['content-type']).toMatch(/^application\/json/)
    // A real query against the database the example created and seeded on its first start.
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, orders: ORDERS })
    expect(health.headers['x-request-id']).toBe('probe-1')
    expect(health.headers['x-powered-by']).toBeUndefined()
    await server.waitForOutput('[app] GET /healthz 200')

    const page = await request(server.url + '/orders')
    expect(page.status).toBe(200)
    expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    await server.waitForOutput('[app] GET /orders 200')
  })

  it('the resource route, the 404 page and the query string work against the database', async () => {
    const stats = await request(server.url + '/api/stats')
    expect(stats.status).toBe(200)
    expect(JSON.parse(stats.body)).toMatchObject({ orders: ORDERS, customers: 60 })

    const missing = await request(server.url + '/orders/42')
    expect(missing.status).toBe(404)
    expect(missing.body).toContain('data-testid="not-found"')
    expect(missing.body).toContain('data-testid="app-header"')

    const filtered = await fetchTimed(server.url + '/orders?status=refunded&page=2')
    expect(filtered.status).toBe(200)
    expect(filtered.body).toMatch(/data-testid="orders-count">\d+<!-- --> <!-- -->refunded<!-- --> · page <!-- -->2/)
    expect(arrivalOf(filtered, 'data-testid="order-list"')).toBeGreaterThan(
      arrivalOf(filtered, 'data-testid="orders-title"'),
    )
  })

  it('server-only code imported by loaders and actions (the SQLite driver, the sessions) stays out of the browser bundle', () => {
    const dir = join(EXAMPLE, '.pareto/client/assets')
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      // The driver, the SQL of the actions, and the session code the root layout's loader imports.
      .filter((f) =>
        /SqliteError|cppdb|process\.cwd\(\)|INSERT INTO|shop_session/.test(readFileSync(join(dir, f), 'utf8')),
      )
    expect(offenders, 'client chunks that carry server-only modules').toEqual([])
  })
})

/** A form post as a browser without JavaScript sends it, from the app's own origin unless told otherwise. */
function post(path: string, body: string, headers: Record<string, string> = {}) {
  return request(server.url + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...headers },
  })
}

describe('signing in and writing, as form posts on the wire', () => {
  it('signs in (303 with an HttpOnly session cookie) and adds a task with a form post; a 422 and a 403 change nothing', async () => {
    // Without a session the tasks page sends you to sign in, and back after.
    const guarded = await request(server.url + '/tasks')
    expect(guarded.status).toBe(302)
    expect(guarded.headers.location).toBe('/login?next=%2Ftasks')

    const empty = await post('/login?next=%2Ftasks', 'name=')
    expect(empty.status).toBe(422)
    expect(empty.body).toContain('Enter your name to sign in.')
    expect(empty.headers['set-cookie']).toBeUndefined()

    const signedIn = await post('/login?next=%2Ftasks', 'name=Grace')
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.location).toBe('/tasks')
    const [setCookie] = signedIn.headers['set-cookie'] ?? []
    expect(setCookie).toMatch(
      /^shop_session=[\w-]{32}; Max-Age=604800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
    )
    const cookie = setCookie!.split(';')[0]!

    // The root layout's loader reads the cookie: the header says who is signed in and how many tasks are open.
    const page = await request(server.url + '/tasks', { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('data-testid="user">Grace</span>')
    const openTasks = Number(/data-testid="open-tasks">(\d+)/.exec(page.body)?.[1])
    expect(openTasks).toBe(2) // the seed's open tasks

    const added = await post('/tasks', `intent=add&title=Ship+order+%23${NEWEST_ORDER}`, { cookie })
    expect(added.status).toBe(200)
    expect(added.body).toContain(`Added “<!-- -->Ship order #${NEWEST_ORDER}`)
    expect(added.body).toMatch(
      new RegExp(`data-testid="task" data-done="false">(?:(?!</li>).)*>Ship order #${NEWEST_ORDER}</span>`),
    )
    // Every loader ran after the action: the layout's badge counts the new task.
    expect(added.body).toContain(`data-testid="open-tasks">${openTasks + 1}<`)

    const invalid = await post('/tasks', 'intent=add&title=+', { cookie })
    expect(invalid.status).toBe(422)
    expect(invalid.body).toContain('Write what needs doing.')
    expect(invalid.body).toContain(`data-testid="open-tasks">${openTasks + 1}<`)

    const crossSite = await post('/tasks', 'intent=add&title=Evil', { cookie, origin: 'http://evil.example' })
    expect(crossSite.status).toBe(403)
    const anonymous = await post('/tasks', 'intent=add&title=Anon')
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.location).toBe('/login?next=/tasks')
    const after = await request(server.url + '/tasks', { headers: { cookie } })
    expect(after.body).not.toMatch(/>(Evil|Anon)</)
    expect(after.body).toContain(`data-testid="open-tasks">${openTasks + 1}<`)
  })
})

/** A page that records console problems and gives up on a missing element after 10 s, not 30. */
async function open() {
  const opened = await openPage(browser)
  opened.page.setDefaultTimeout(10_000)
  return opened
}

describe('the example in Chromium', () => {
  it('applies the Tailwind styles from app/globals.css', async () => {
    const { page, problems } = await open()
    await page.goto(server.url + '/')
    const header = await page.$eval('[data-testid=app-header]', (e) => getComputedStyle(e).backgroundColor)
    expect(header).toBe('rgb(67, 56, 202)') // bg-brand-700, a color defined by @theme in globals.css
    const card = await page.$eval('[data-testid=recent-orders]', (e) => {
      const s = getComputedStyle(e)
      return { radius: s.borderTopLeftRadius, padding: s.paddingTop, background: s.backgroundColor }
    })
    expect(card).toEqual({ radius: '12px', padding: '20px', background: 'rgb(255, 255, 255)' }) // @utility card
    const title = await page.$eval('[data-testid=dashboard-title]', (e) => {
      const s = getComputedStyle(e)
      return { size: s.fontSize, weight: s.fontWeight }
    })
    expect(title).toEqual({ size: '24px', weight: '600' }) // text-2xl font-semibold
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('the failing external API shows only its boundary fallback; the rest of the dashboard is there and hydrated', async () => {
    const { page, problems } = await open()
    await page.goto(server.url + '/', { waitUntil: 'commit' })
    await page.waitForSelector('[data-testid=recommendations-error]')
    await page.waitForSelector('[data-testid=orders-table]')
    await page.waitForSelector('[data-testid=top-products]')
    await page.waitForSelector('[data-testid=revenue-chart]')
    expect(await page.locator('[data-testid=orders-table] tbody tr').count()).toBe(8)
    expect(await page.textContent('[data-testid=dashboard-title]')).toBe(`${ORDERS} orders`)
    const text = (await page.textContent('[data-testid=recommendations-error]')) ?? ''
    expect(text).toContain('Recommendations are unavailable right now.')
    // Production: a generic message and a digest that is in the server's log, never the upstream's message.
    expect(text).toContain('An error occurred on the server.')
    expect(text).not.toContain('recommendations.internal')
    const digest = /ref ([0-9a-f]{10})/.exec(text)?.[1]
    expect(digest).toBeTruthy()
    await server.waitForOutput(`digest: ${digest}`)
    expect(await page.locator('[aria-busy=true]').count()).toBe(0)
    // Hydrated: the layout's store (defineStore) reacts to clicks.
    await page.waitForLoadState('load')
    await page.click('[data-testid=density]')
    await page.waitForSelector('[data-testid=density][aria-pressed=true]')
    expect(problems.errors).toEqual([])
    expect(problems.warnings.filter((w) => /hydrat/i.test(w))).toEqual([])
    await page.close()
  })

  it('Link navigates client-side between streaming pages, each showing its fallback then its deferred data', async () => {
    const { page, problems } = await open()
    await page.goto(server.url + '/')
    await page.waitForSelector('[data-testid=orders-table]')
    await page.waitForLoadState('load')
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true))
    const sameDocument = () =>
      page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true)

    // Dashboard → orders list: the page commits with its fallback, then the list streams in (500 ms later).
    await page.click('[data-testid=all-orders-link]')
    await page.waitForURL(server.url + '/orders', { waitUntil: 'commit' })
    await page.waitForSelector('[aria-label="Loading orders"]')
    await page.waitForSelector('[data-testid=order-list]')
    expect(await page.locator('[data-testid=order-list] tbody tr').count()).toBe(20)
    expect(await page.textContent('[data-testid=orders-count]')).toContain(`${ORDERS} total`)
    expect(await page.title()).toBe('Orders — Pareto Shop')
    expect(await sameDocument()).toBe(true)

    // Orders list → the newest order: its shell from the loader at once, lines and tracking streamed.
    await page.click(`[data-testid=order-list] a[href="/orders/${NEWEST_ORDER}"]`)
    await page.waitForURL(server.url + `/orders/${NEWEST_ORDER}`, { waitUntil: 'commit' })
    await page.waitForSelector(`[data-testid=order-title]:has-text("Order #${NEWEST_ORDER}")`)
    await page.waitForSelector('[data-testid=order-lines-table]')
    await page.waitForSelector('[data-testid=tracking]')
    expect(await page.title()).toBe(`Order #${NEWEST_ORDER} — Pareto Shop`)
    expect(await sameDocument()).toBe(true)
    // The new page is styled too (its classes are in the global stylesheet).
    const badge = await page.$eval('[data-testid=order-title] span', (e) => getComputedStyle(e).borderTopLeftRadius)
    expect(badge).not.toBe('0px')

    // Back to the list, still without a reload.
    await page.goBack({ waitUntil: 'commit' })
    await page.waitForURL(server.url + '/orders', { waitUntil: 'commit' })
    await page.waitForSelector('[data-testid=order-list]')
    expect(await sameDocument()).toBe(true)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('signs in and adds a task with JavaScript on: no document load, one request for the add, the task shown before the answer', async () => {
    const { page, problems } = await open()
    await page.goto(server.url + '/tasks')
    expect(page.url()).toBe(server.url + '/login?next=%2Ftasks')
    await hydrated(page, 'form')
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true))
    const sameDocument = () =>
      page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true)

    // The action's cookie, read by the root layout's loader after the redirect (a client navigation).
    await page.fill('input[name=name]', 'Barbara')
    await page.click('button:has-text("Sign in")')
    await page.waitForSelector('[data-testid=user]:has-text("Barbara")')
    expect(new URL(page.url()).pathname).toBe('/tasks')
    const openBefore = Number(/\d+/.exec((await page.textContent('[data-testid=open-tasks]')) ?? '')?.[0])

    const requests: string[] = []
    page.on('request', (r) => {
      if (['fetch', 'document'].includes(r.resourceType()))
        requests.push(`${r.method()} ${new URL(r.url()).pathname} ${r.resourceType()}`)
    })
    await page.fill('input[name=title]', 'Order more desk mats')
    await page.click('button:has-text("Add")')
    // Optimistic: the task shows at once (from useRouter().submission) while the action takes its 400 ms.
    await page.waitForSelector('[data-testid=task-pending]:has-text("Order more desk mats")')
    expect(await page.textContent('[data-testid=add-task] button')).toBe('Adding…')
    await page.waitForSelector('[data-testid=task-added]')
    expect(await page.locator('[data-testid=task-pending]').count()).toBe(0)
    expect(await page.locator('[data-testid=task]', { hasText: 'Order more desk mats' }).count()).toBe(1)
    expect(await page.inputValue('input[name=title]')).toBe('')
    expect(await page.textContent('[data-testid=open-tasks]')).toContain(String(openBefore + 1))
    expect(requests).toEqual(['POST /__pareto/data/tasks fetch'])

    // A fetcher ticks it off: the box flips before the answer, the URL and history stay, the badge follows.
    const history = await page.evaluate(() => window.history.length)
    const task = page.locator('[data-testid=task]', { hasText: 'Order more desk mats' })
    await task.locator('button').click()
    expect(await task.getAttribute('data-done')).toBe('true')
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=open-tasks]')?.textContent?.includes(String(n)),
      openBefore,
    )
    expect(await task.getAttribute('data-done')).toBe('true')
    expect(requests).toEqual(['POST /__pareto/data/tasks fetch', 'POST /__pareto/data/tasks fetch'])
    expect(await page.evaluate(() => window.history.length)).toBe(history)
    expect(new URL(page.url()).pathname).toBe('/tasks')
    expect(await sameDocument()).toBe(true)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('with JavaScript off, the same forms sign in, add and tick off a task', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false })
    page.setDefaultTimeout(10_000)
    await page.goto(server.url + '/login')
    await page.fill('input[name=name]', 'Linus')
    await page.click('button:has-text("Sign in")')
    await page.waitForSelector('[data-testid=user]:has-text("Linus")')
    await page.fill('input[name=title]', 'Written without JavaScript')
    await page.click('button:has-text("Add")')
    await page.waitForSelector('[data-testid=task-added]')
    const task = page.locator('[data-testid=task]', { hasText: 'Written without JavaScript' })
    expect(await task.getAttribute('data-done')).toBe('false')
    await task.locator('button').click()
    await page.waitForSelector('[data-testid=task][data-done=true]:has-text("Written without JavaScript")')
    await page.close()
  })
})

/** Waits until React has hydrated an element (its props are attached), so the app handles what is done to it. */
async function hydrated(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s)
    return el !== null && Object.keys(el).some((k) => k.startsWith('__reactProps$'))
  }, selector)
}
