import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { buildFixture, fixtureDir, openIsolatedPage } from '../helpers/fixtures.js'
import { useServerAndBrowser } from '../helpers/setup.js'

// A sign-in + todo app written from the docs (e2e/fixtures/mutations): page actions, <Form>, a fetcher, a layout
// loader reading the sign-in cookie. Driven on the wire as a form without JavaScript posts, then in Chromium with
// JavaScript on and off.

const DIR = fixtureDir('mutations')
// Hooks run in the order they are registered: the build, then the server and the browser.
beforeAll(() => buildFixture(DIR), 240_000)
const env = useServerAndBrowser(DIR, 'start')

/** A form post as a browser without JavaScript sends it, from the app's own origin unless told otherwise. */
function post(path: string, body: string | FormData, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { origin: env.server.url, ...headers },
  }
  if (typeof body === 'string')
    init.headers = { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as object) }
  return fetch(env.server.url + path, init)
}

describe('a form post without JavaScript, on the wire', () => {
  it('runs the action and renders the page with every loader run after it, at the status the action set', async () => {
    const added = await post('/todos', 'intent=add&title=Milk')
    expect(added.status).toBe(200)
    const html = await added.text()
    expect(html).toContain('<p id="added">Added <!-- -->Milk</p>')
    expect(html).toMatch(/<li class="todo"[^>]*>Milk</)
    // The action's result travels to the client for hydration.
    expect(html).toContain('"action":{"added":"Milk"}')

    const invalid = await post('/todos', 'intent=add&title=')
    expect(invalid.status).toBe(422)
    expect(await invalid.text()).toContain('<p id="error">A title is required.</p>')
  })

  it('answers a redirect from an action with 303 and Location (POST-redirect-GET)', async () => {
    const r = await post('/todos', 'intent=redirect')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/other')
  })

  it('sets cookies from ctx.res.cookie() and a layout loader reads them on the next request', async () => {
    const r = await post('/login', 'name=Ann')
    expect(r.status).toBe(303)
    const cookies = r.headers.getSetCookie()
    expect(cookies).toHaveLength(2)
    expect(cookies[0]).toMatch(/^user=Ann; Max-Age=3600; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/)
    expect(cookies[1]).toBe('seen=1; Path=/')
    const page = await fetch(env.server.url + '/todos', { headers: { cookie: 'user=Ann' } })
    expect(await page.text()).toContain('<span id="user">Signed in as Ann</span>')
  })

  it('sends a Response an action returns as it is', async () => {
    const r = await post('/respond', '')
    expect(r.status).toBe(202)
    expect(r.headers.get('x-custom')).toBe('yes')
    expect(r.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(await r.text()).toBe('made by hand')
  })

  it('renders error.tsx with status 500 for an action that throws, without its message', async () => {
    const r = await post('/fail', '')
    expect(r.status).toBe(500)
    const html = await r.text()
    expect(html).toContain('id="error-page"')
    expect(html).not.toContain('secret failure detail')
  })

  it('refuses a cross-site form post with 403, to a page and to a route.ts; a cross-site JSON post passes', async () => {
    const page = await post('/todos', 'intent=add&title=x', { origin: 'http://evil.example' })
    expect(page.status).toBe(403)
    expect(await page.text()).toContain('allowedOrigins')
    const route = await post('/api/todos', 'a=1', { origin: 'http://evil.example' })
    expect(route.status).toBe(403)
    const json = await post('/api/todos', '{"a":1}', {
      origin: 'http://evil.example',
      'content-type': 'application/json',
    })
    expect(json.status).toBe(200)
    expect(await json.json()).toEqual({ received: { a: 1 } })
  })

  it('hands a 10 KB upload to the action as a File, and answers 413 past bodyLimit', async () => {
    const form = new FormData()
    form.append('file', new File(['hello'.padEnd(10 * 1024, '.')], 'note.txt', { type: 'text/plain' }))
    const r = await post('/upload', form)
    expect(r.status).toBe(200)
    expect(await r.text()).toContain(
      JSON.stringify({ name: 'note.txt', size: 10240, type: 'text/plain', isFile: true, head: 'hello' }).replace(
        /"/g,
        '&quot;',
      ),
    )
    const big = new FormData()
    big.append('file', new File([new Uint8Array(3 * 1024 * 1024)], 'big.bin'))
    const tooBig = await post('/upload', big)
    expect(tooBig.status).toBe(413)
    expect(await tooBig.text()).toContain('bodyLimit')
  })

  it('keeps layout and page loaders and actions out of the client bundle, with what only they import', () => {
    const assets = join(DIR, '.pareto/client/assets')
    const js = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n')
    // Positive control: the page's own text is there.
    expect(js).toContain('Add slowly')
    // The action's own message stays on the server.
    expect(js).not.toContain('A title is required')
    // lib/db.ts is imported by the loaders and actions only (the layout's and the page's).
    expect(js).not.toContain('Write the tests')
    expect(js).not.toContain('db.runs')
  })

  it('answers a malformed multipart body with a 400 that names the problem', async () => {
    const r = await post('/upload', '--x\r\nnot a part', { 'content-type': 'multipart/form-data; boundary=x' })
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('Malformed multipart/form-data body')
  })
})

/** Requests the page makes, by method and path, from now on. */
function recordRequests(page: Page): { method: string; path: string; type: string }[] {
  const seen: { method: string; path: string; type: string }[] = []
  page.on('request', (r) => {
    const url = new URL(r.url())
    seen.push({ method: r.method(), path: url.pathname + url.search, type: r.resourceType() })
  })
  return seen
}

async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached' })
  // A marker on window: still there later proves that no document was loaded since.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker)

describe('<Form> and fetchers in Chromium', () => {
  it('submits without a document load: one request carries the action result and the revalidated layout and page data', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/todos')
      await hydrated(p.page)
      const layoutRuns = Number(await p.page.textContent('#layout-runs'))
      const todoRuns = Number(await p.page.textContent('#todo-runs'))
      const requests = recordRequests(p.page)
      await p.page.fill('input[name=title]', 'Bread')
      await p.page.click('#add-button')
      await p.page.waitForSelector('#added')
      expect(await p.page.textContent('#added')).toBe('Added Bread')
      expect(await p.page.locator('li.todo', { hasText: 'Bread' }).count()).toBe(1)
      // The deferred count streams in the same response.
      await p.page.waitForFunction(() => /\d+ items/.test(document.querySelector('#count')?.textContent ?? ''))
      expect(Number(await p.page.textContent('#layout-runs'))).toBeGreaterThan(layoutRuns)
      expect(Number(await p.page.textContent('#todo-runs'))).toBeGreaterThan(todoRuns)
      expect(await marker(p.page)).toBe(42)
      const fetches = requests.filter((r) => r.type === 'fetch' || r.type === 'document')
      expect(fetches).toEqual([{ method: 'POST', path: '/__pareto/data/todos', type: 'fetch' }])
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('shows the pending state and the submission (optimistic UI) while a slow action runs; a double click runs it once', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/todos')
      await hydrated(p.page)
      const requests = recordRequests(p.page)
      await p.page.fill('input[name=title]', 'Slow one')
      await p.page.dblclick('#slow-button')
      await p.page.waitForFunction(() => document.querySelector('#router-state')?.textContent === 'submitting')
      expect(await p.page.textContent('#optimistic')).toBe('Slow one')
      await p.page.waitForSelector('#added')
      expect(await p.page.textContent('#router-state')).toBe('idle')
      expect(await p.page.locator('#optimistic').count()).toBe(0)
      expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1)
      expect(await p.page.locator('li.todo', { hasText: 'Slow one' }).count()).toBe(1)
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('shows a validation error (422) and re-runs no loader', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/todos')
      await hydrated(p.page)
      const todoRuns = await p.page.textContent('#todo-runs')
      await p.page.fill('input[name=title]', '')
      await p.page.click('#add-button')
      await p.page.waitForSelector('#error')
      expect(await p.page.textContent('#error')).toBe('A title is required.')
      expect(await p.page.textContent('#todo-runs')).toBe(todoRuns)
      expect(await marker(p.page)).toBe(42)
      // The 422 is the action's answer, not a failure of the page.
      expect(p.problems.errors.filter((e) => !e.includes('422'))).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('a fetcher submits without navigating or adding a history entry, optimistic first, then revalidated', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/todos')
      await hydrated(p.page)
      const before = await p.page.evaluate(() => history.length)
      const first = p.page.locator('li.todo').first()
      const done = await first.getAttribute('data-done')
      const flipped = done === 'true' ? 'false' : 'true'
      await first.locator('button.toggle').click()
      // Optimistic, then confirmed by the revalidated loader data.
      await p.page.waitForFunction(
        ([want]) => document.querySelector('li.todo')?.getAttribute('data-done') === want,
        [flipped],
      )
      await p.page.waitForTimeout(300)
      expect(await first.getAttribute('data-done')).toBe(flipped)
      expect(await p.page.evaluate(() => history.length)).toBe(before)
      expect(new URL(p.page.url()).pathname).toBe('/todos')
      expect(await marker(p.page)).toBe(42)
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('refresh() runs the loaders again in place; a GET form navigates with its fields as the query', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/todos')
      await hydrated(p.page)
      const runs = Number(await p.page.textContent('#todo-runs'))
      await p.page.click('#refresh')
      await p.page.waitForFunction((n) => Number(document.querySelector('#todo-runs')?.textContent) > n, runs)
      await p.page.fill('input[name=q]', 'milk')
      await p.page.click('#search button')
      await p.page.waitForURL(/\/todos\?q=milk$/)
      expect(await marker(p.page)).toBe(42)
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('a redirect from an action becomes a client navigation; plain navigation keeps the layout data', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/todos')
      await hydrated(p.page)
      const layoutRuns = await p.page.textContent('#layout-runs')
      await p.page.click('text=Other')
      await p.page.waitForSelector('h1:has-text("Other page")')
      // The root layout sees no params and the query did not change: its loader did not run again.
      expect(await p.page.textContent('#layout-runs')).toBe(layoutRuns)
      await p.page.click('text=Todos')
      await p.page.waitForSelector('#add')
      await p.page.click('#redirect-button')
      await p.page.waitForSelector('h1:has-text("Other page")')
      expect(new URL(p.page.url()).pathname).toBe('/other')
      expect(await marker(p.page)).toBe(42)
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('signs in: the cookie set by the action is read by the layout loader, shown without a document load', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/login')
      await hydrated(p.page)
      await p.page.fill('input[name=name]', 'Bo')
      await p.page.click('text=Sign in')
      await p.page.waitForSelector('text=Signed in as Bo')
      expect(new URL(p.page.url()).pathname).toBe('/todos')
      expect(await marker(p.page)).toBe(42)
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('ctx.res.redirect() in an action is followed client-side; a <Form> to a route.ts is posted by the browser', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/legacy')
      await hydrated(p.page)
      await p.page.click('#legacy button')
      await p.page.waitForSelector('h1:has-text("Other page")')
      expect(await marker(p.page)).toBe(42)
      await p.page.goto(env.server.url + '/legacy')
      await hydrated(p.page)
      await p.page.click('#to-route button')
      await p.page.waitForURL(/\/api\/todos$/)
      expect(JSON.parse((await p.page.textContent('body')) ?? '')).toEqual({
        received: { from: 'form', via: 'button' },
      })
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('a submission the server refuses (413) shows the error page inside the layout, which keeps its data', async () => {
    const p = await openIsolatedPage(env.browser)
    try {
      await p.page.goto(env.server.url + '/upload')
      await hydrated(p.page)
      await p.page.setInputFiles('input[type=file]', {
        name: 'big.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(3 * 1024 * 1024),
      })
      await p.page.click('#upload button')
      await p.page.waitForSelector('#error-page')
      expect(await p.page.textContent('#error-message')).toContain('bodyLimit')
      expect(await p.page.textContent('#user')).toMatch(/Not signed in|Signed in as/)
      expect(await marker(p.page)).toBe(42)
    } finally {
      await p.close()
    }
  })

  it('with JavaScript off, the same <Form> posts and the page shows the result', async () => {
    const p = await openIsolatedPage(env.browser, { javaScriptEnabled: false })
    try {
      await p.page.goto(env.server.url + '/todos')
      await p.page.fill('input[name=title]', 'No JS')
      await p.page.click('#add-button')
      await p.page.waitForSelector('#added')
      expect(await p.page.textContent('#added')).toBe('Added No JS')
      await p.page.goto(env.server.url + '/login')
      await p.page.fill('input[name=name]', 'Cy')
      await p.page.click('text=Sign in')
      await p.page.waitForSelector('text=Signed in as Cy')
      expect(new URL(p.page.url()).pathname).toBe('/todos')
      expect(p.problems.errors).toEqual([])
    } finally {
      await p.close()
    }
  })
})
