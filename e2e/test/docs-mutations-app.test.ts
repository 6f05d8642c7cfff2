// The app that packages/core/docs/mutations.md builds step by step, as a newcomer copies it: every block of the
// page that names a file is written to a new folder, built with `pareto build` and served with `pareto start`,
// then used as plain form posts, and in Chromium with JavaScript on and off.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launch } from '../helpers/browser.js'
import { buildFixture, openIsolatedPage } from '../helpers/fixtures.js'
import { REPO_DIR } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { request } from '../helpers/wire.js'

const DOC = join(REPO_DIR, 'packages/core/docs/mutations.md')

/** The page's ts/tsx blocks whose first line names a file, as path → code. */
function namedBlocks(markdown: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const m of markdown.matchAll(/^```tsx?\n(\/\/ ([\w./@()[\]-]+\.tsx?)\n[\s\S]*?)^```$/gm)) files.set(m[2]!, m[1]!)
  return files
}

const dir = mkdtempSync(join(tmpdir(), 'pareto-docs-mutations-'))
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  const files = namedBlocks(readFileSync(DOC, 'utf8'))
  for (const [path, code] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), code)
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'docs-mutations-app', private: true, type: 'module' }),
  )
  // The app's dependencies are the workspace's: @paretojs/core as built here, react, react-dom.
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const [, b] = await Promise.all([buildFixture(dir), launch()])
  browser = b
  server = await startServer(dir, 'start')
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** A form post as a browser without JavaScript sends it, from the app's own origin unless told otherwise. */
function post(path: string, body: string, headers: Record<string, string> = {}) {
  return request(server.url + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...headers },
  })
}

describe("the docs' sign-in + to-do app, as form posts", () => {
  it('has the files the page builds', () => {
    expect([...namedBlocks(readFileSync(DOC, 'utf8')).keys()]).toEqual(
      expect.arrayContaining([
        'lib/db.ts',
        'lib/session.ts',
        'app/layout.tsx',
        'app/login/page.tsx',
        'app/todos/page.tsx',
      ]),
    )
  })

  it('signs in (422, then 303 with an HttpOnly cookie), adds, refuses an empty title and ticks a todo off', async () => {
    const guarded = await request(server.url + '/todos')
    expect(guarded.status).toBe(302)
    expect(guarded.headers.location).toBe('/login')

    const empty = await post('/login', 'name=')
    expect(empty.status).toBe(422)
    expect(empty.body).toContain('<p role="alert">Enter your name.</p>')

    const signedIn = await post('/login', 'name=Ann')
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.location).toBe('/todos')
    const [setCookie] = signedIn.headers['set-cookie'] ?? []
    expect(setCookie).toMatch(/^sid=[0-9a-f-]{36}; Max-Age=604800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/)
    const cookie = setCookie!.split(';')[0]!

    const added = await post('/todos', 'title=Milk&intent=add', { cookie })
    expect(added.status).toBe(200)
    expect(added.body).toContain('Signed in as <b>Ann</b>')
    expect(added.body).toMatch(/<span>Milk<\/span>/)

    const invalid = await post('/todos', 'title=&intent=add', { cookie })
    expect(invalid.status).toBe(422)
    expect(invalid.body).toContain('<p role="alert">Write something to do.</p>')

    const id = /name="id" value="(\d+)"/.exec(added.body)?.[1]
    const toggled = await post('/todos', `id=${id}&done=true&intent=toggle`, { cookie })
    expect(toggled.status).toBe(200)
    expect(toggled.body).toContain('aria-pressed="true"')

    expect((await post('/todos', 'title=Evil&intent=add', { cookie, origin: 'http://evil.example' })).status).toBe(403)
  })
})

/** Requests that load a document or fetch data, from now on. */
function recordRequests(page: Page): string[] {
  const seen: string[] = []
  page.on('request', (r) => {
    if (['fetch', 'document'].includes(r.resourceType())) seen.push(`${r.method()} ${new URL(r.url()).pathname}`)
  })
  return seen
}

async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const form = document.querySelector('main form')
    return form !== null && Object.keys(form).some((k) => k.startsWith('__reactProps$'))
  })
}

describe("the docs' sign-in + to-do app in Chromium", () => {
  it('with JavaScript on: one request per change, no document load, the fetcher without a history entry', async () => {
    const p = await openIsolatedPage(browser)
    try {
      const { page } = p
      page.setDefaultTimeout(10_000)
      await page.goto(server.url + '/login')
      await hydrated(page)
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1))
      await page.fill('input[name=name]', 'Bo')
      await page.click('button:has-text("Sign in")')
      await page.waitForSelector('header b:has-text("Bo")')
      expect(new URL(page.url()).pathname).toBe('/todos')

      const requests = recordRequests(page)
      await page.fill('input[name=title]', 'Bread')
      await page.press('input[name=title]', 'Enter')
      await page.waitForSelector('li:has-text("Bread")')
      // The page's effect empties the field once the todo is in.
      await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[name=title]')?.value === '')
      expect(requests).toEqual(['POST /__pareto/data/todos'])

      const history = await page.evaluate(() => window.history.length)
      await page.click('li:has-text("Bread") button[value=toggle]')
      await page.waitForSelector('li:has-text("Bread") button[aria-pressed=true]')
      await page.click('li:has-text("Bread") button[value=delete]')
      await page.waitForSelector('li:has-text("Bread")', { state: 'detached' })
      expect(requests).toHaveLength(3)
      expect(await page.evaluate(() => window.history.length)).toBe(history)
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
      // The 404 is Chromium asking for /favicon.ico, which the docs' app has none of.
      expect(p.problems.errors.filter((e) => !e.includes('404'))).toEqual([])
    } finally {
      await p.close()
    }
  })

  it('with JavaScript off: the same forms sign in, add, tick off and sign out', async () => {
    const p = await openIsolatedPage(browser, { javaScriptEnabled: false })
    try {
      const { page } = p
      page.setDefaultTimeout(10_000)
      await page.goto(server.url + '/todos')
      expect(new URL(page.url()).pathname).toBe('/login')
      await page.fill('input[name=name]', 'Cy')
      await page.click('button:has-text("Sign in")')
      await page.waitForSelector('header b:has-text("Cy")')
      await page.fill('input[name=title]', 'Eggs')
      await page.click('button:has-text("Add")')
      await page.waitForSelector('li:has-text("Eggs")')
      await page.click('li:has-text("Eggs") button[value=toggle]')
      await page.waitForSelector('li:has-text("Eggs") button[aria-pressed=true]')
      await page.click('button:has-text("Sign out")')
      await page.waitForSelector('header a:has-text("Sign in")')
      expect(new URL(page.url()).pathname).toBe('/login')
    } finally {
      await p.close()
    }
  })
})
