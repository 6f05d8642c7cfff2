import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, openPage } from '../helpers/browser.js'
import { FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { request } from '../helpers/wire.js'

// The day-to-day loop of `pareto dev` on a copy of the fixture, edited as a developer would: errors point at
// the source, a broken file breaks only its own pages, and edits show up without a restart or a reload.

const HYDRATED = `function useHydrated() {
  const [h, setH] = useState(false)
  useEffect(() => setH(true), [])
  return h ? 'yes' : 'no'
}`

const SOURCES: Record<string, string> = {
  'app/loop-loader/page.tsx': `export function loader(): { never: true } {
  const reason = 'the loader failed on purpose'
  throw new Error(reason)
}

export default function Page() {
  return <p>never rendered</p>
}
`,
  'app/loop-fix/page.tsx': `import { useLoaderData } from '@paretojs/core'

export function loader() {
  throw new Error('not fixed yet')
}

export default function Page() {
  return <p id="fixed">{useLoaderData<string>()}</p>
}
`,
  'app/loop-render/page.tsx': `function Widget({ label }: { label: string }): never {
  if (label) throw new Error('the widget failed to render')
  throw new Error('unreachable')
}

export default function Page() {
  return <Widget label="x" />
}
`,
  'app/loop-api/route.ts': `export function loader(): never {
  const reason = 'the resource loader failed on purpose'
  throw new Error(reason)
}
`,
  'app/loop-browser-render/page.tsx': `function Gauge({ value }: { value: number }): never {
  if (value) throw new Error('the gauge failed to render in the browser')
  throw new Error('unreachable')
}

export default function Page() {
  return <Gauge value={1} />
}
`,
  'app/loop-nav/page.tsx': `import { useEffect, useState } from 'react'
import { Link } from '@paretojs/core'

${HYDRATED}

export default function Page() {
  return (
    <div>
      <span id="loop-hydrated" data-state={useHydrated()} />
      <Link id="to-loader" href="/loop-loader">
        to the failing loader
      </Link>
      <Link id="to-browser-render" href="/loop-browser-render">
        to the page that fails to render in the browser
      </Link>
    </div>
  )
}
`,
  'app/loop-counter/page.tsx': `import { useEffect, useState } from 'react'

${HYDRATED}

export default function Page() {
  const [count, setCount] = useState(0)
  return (
    <div>
      <span id="loop-hydrated" data-state={useHydrated()} />
      <button id="loop-count" onClick={() => setCount(count + 1)}>
        count is {count}
      </button>
    </div>
  )
}
`,
  'app/loop-syntax/page.tsx': `import { useEffect, useState } from 'react'

${HYDRATED}

export default function Page() {
  return (
    <div>
      <span id="loop-hydrated" data-state={useHydrated()} />
      <p id="syntax-text">syntax ok</p>
    </div>
  )
}
`,
  'app/loop-edit/page.tsx': `import { useLoaderData } from '@paretojs/core'

export function loader() {
  return { version: 'loader v1' }
}

export default function Page() {
  const { version } = useLoaderData<typeof loader>()
  return <p id="loader-version">{version}</p>
}
`,
  'app/loop-edit/layout.tsx': `import type { PropsWithChildren } from 'react'

export default function Layout({ children }: PropsWithChildren) {
  return <section data-layout="layout v1">{children}</section>
}
`,
  'app/loop-edit/head.tsx': `export default function Head() {
  return <title>title v1</title>
}
`,
}

/** Where V8 places the first `throw new Error` of a source above: its line, and the column of `new` (1-based). */
function throwAt(file: string): { line: number; column: number; text: string } {
  const lines = SOURCES[file].split('\n')
  const i = lines.findIndex((l) => l.includes('throw '))
  return { line: i + 1, column: lines[i].indexOf('new Error') + 1, text: lines[i].trim() }
}

let dir = ''
let server: RunningServer
let browser: Browser

const path = (file: string) => join(dir, file)
const write = (file: string, text: string) => {
  mkdirSync(dirname(path(file)), { recursive: true })
  writeFileSync(path(file), text)
}
const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(path(file), 'utf8')
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`)
  writeFileSync(path(file), text.replace(from, to))
}

/** Polls the dev server until `check` holds for the answer at `url` (file watching takes a moment). */
async function eventually(url: string, check: (r: { status: number; body: string }) => boolean) {
  let last = { status: 0, body: '' }
  for (let i = 0; i < 100; i++) {
    last = await request(server.url + url)
    if (check(last)) return last
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url} never matched; last answer ${last.status}:\n${last.body.slice(0, 2000)}`)
}

/** Vite's error overlay, as the page shows it over the app's own error page: its location line and its frame. */
async function overlayOf(page: Page): Promise<{ file: string; frame: string }> {
  await page.waitForSelector('vite-error-overlay .file', { state: 'attached', timeout: 15_000 })
  return {
    file: (await page.locator('vite-error-overlay .file').textContent())!.trim(),
    frame: (await page.locator('vite-error-overlay .frame').textContent())!,
  }
}

async function hydrated(page: Page, url: string) {
  await page.goto(server.url + url)
  await page.waitForSelector('#loop-hydrated[data-state="yes"]', { state: 'attached', timeout: 30_000 })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pareto-dev-loop-'))
  for (const entry of ['app', 'lib', 'public', 'app.ts', 'vite.config.ts', 'pareto.config.ts', 'package.json', '.env'])
    cpSync(join(FIXTURE, entry), join(dir, entry), { recursive: true })
  for (const [file, text] of Object.entries(SOURCES)) write(file, text)
  // The copy resolves the same packages as the fixture, from the repository's node_modules.
  mkdirSync(join(dir, 'node_modules/@paretojs'), { recursive: true })
  for (const pkg of ['@paretojs/core', 'react', 'react-dom', 'vite', 'express'])
    symlinkSync(join(REPO_DIR, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir')
  ;[server, browser] = await Promise.all([startServer(dir, 'dev'), launch()])
  // Vite optimizes the browser's dependencies on the first visit and reloads the page once: done here.
  const { page } = await openPage(browser)
  await page.goto(server.url + '/loop-counter', { waitUntil: 'networkidle' })
  await page.waitForSelector('#loop-hydrated[data-state="yes"]', { state: 'attached', timeout: 60_000 })
  await page.close()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('pareto dev: errors point at the source', () => {
  it('a loader error shows its source file, line, column and frame, in the browser and the terminal', async () => {
    const at = throwAt('app/loop-loader/page.tsx')
    const location = `app/loop-loader/page.tsx:${at.line}:${at.column}`
    const { page } = await openPage(browser)
    const res = await page.goto(server.url + '/loop-loader')
    expect(res?.status()).toBe(500)
    await page.waitForSelector('#error-page')
    const overlay = await overlayOf(page)
    expect(overlay.file).toBe(location)
    expect(overlay.frame).toContain(`> ${at.line} | `)
    expect(overlay.frame).toContain(at.text)
    const out = await server.waitForOutput(location)
    expect(out).toMatch(new RegExp(`> ${at.line} \\|\\s+${at.text.replace(/[()]/g, '\\$&')}`))
    await page.close()
  })

  it('a render error shows the component source position the same way', async () => {
    const at = throwAt('app/loop-render/page.tsx')
    const location = `app/loop-render/page.tsx:${at.line}:${at.column}`
    const { page } = await openPage(browser)
    const res = await page.goto(server.url + '/loop-render')
    expect(res?.status()).toBe(500)
    const overlay = await overlayOf(page)
    expect(overlay.file).toBe(location)
    expect(overlay.frame).toContain(at.text)
    expect(await server.waitForOutput(location)).toContain(`> ${at.line} | ${'  '}${at.text}`)
    await page.close()
  })

  it('an error met during client navigation shows the source position too', async () => {
    const at = throwAt('app/loop-loader/page.tsx')
    const { page } = await openPage(browser)
    await hydrated(page, '/loop-nav')
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true))
    await page.click('#to-loader')
    await page.waitForSelector('#error-page')
    const overlay = await overlayOf(page)
    expect(overlay.file).toBe(`app/loop-loader/page.tsx:${at.line}:${at.column}`)
    expect(overlay.frame).toContain(at.text)
    // The router showed it: the document was never loaded again.
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
    await page.close()
  })

  it('a resource route error carries the source position in its JSON body and the terminal', async () => {
    const at = throwAt('app/loop-api/route.ts')
    const location = `app/loop-api/route.ts:${at.line}:${at.column}`
    const res = await request(server.url + '/loop-api')
    expect(res.status).toBe(500)
    const body = JSON.parse(res.body) as { error: string; source?: Record<string, unknown> }
    expect(body.error).toBe('the resource loader failed on purpose')
    expect(body.source).toMatchObject({ file: 'app/loop-api/route.ts', line: at.line, column: at.column })
    expect(body.source?.frame).toContain(`> ${at.line} |   ${at.text}`)
    expect(await server.waitForOutput(location)).toContain(`> ${at.line} |   ${at.text}`)
  })

  it('a component that fails to render in the browser, on client navigation, shows its source in the overlay', async () => {
    const at = throwAt('app/loop-browser-render/page.tsx')
    const { page } = await openPage(browser)
    await hydrated(page, '/loop-nav')
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true))
    await page.click('#to-browser-render')
    // The browser rendered the page (the server only sent its data) and Pareto's root boundary caught the error.
    await page.waitForSelector('#error-page')
    expect(await page.locator('#error-message').textContent()).toBe('the gauge failed to render in the browser')
    const overlay = await overlayOf(page)
    expect(overlay.file).toBe(`app/loop-browser-render/page.tsx:${at.line}:${at.column}`)
    expect(overlay.frame).toContain(`> ${at.line} | `)
    expect(overlay.frame).toContain(at.text)
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
    // The terminal shows the same place.
    await server.waitForOutput(`app/loop-browser-render/page.tsx:${at.line}:${at.column}`)
    expect(server.output()).toContain('[pareto] error while rendering in the browser')
    await page.close()
  })

  it('a syntax error fails only its page, shows where it is, and the open pages recover once it is fixed', async () => {
    const file = 'app/loop-syntax/page.tsx'
    const before = await openPage(browser)
    await hydrated(before.page, '/loop-syntax')
    const broken = SOURCES[file].replace('<p id="syntax-text">syntax ok</p>', '<p id="syntax-text">{oops</p>')
    const lines = broken.split('\n')
    const line = lines.findIndex((l) => l.includes('{oops')) + 1
    write(file, broken)

    const after = await openPage(browser)
    const res = await after.page.goto(server.url + '/loop-syntax')
    expect(res?.status()).toBe(500)
    const overlay = await overlayOf(after.page)
    expect(overlay.file).toMatch(new RegExp(`^app/loop-syntax/page\\.tsx:${line}:\\d+$`))
    expect(overlay.frame).toContain(`> ${line} | `)
    expect(overlay.frame).toContain('{oops</p>')
    expect(await server.waitForOutput(`app/loop-syntax/page.tsx:${line}:`)).toContain('{oops</p>')

    // The rest of the app is still served while the file is broken.
    expect((await request(server.url + '/loop-counter')).status).toBe(200)
    expect((await request(server.url + '/')).status).toBe(200)

    write(file, SOURCES[file].replace('syntax ok', 'syntax fixed'))
    // Neither page is reloaded by the test: the one opened before (hot update) and the error page (it reloads itself).
    for (const { page } of [before, after])
      await page.waitForSelector('#syntax-text:has-text("syntax fixed")', { timeout: 20_000 })
    expect(await after.page.locator('vite-error-overlay').count()).toBe(0)
    await before.page.close()
    await after.page.close()
  })

  it('an open error page loads again by itself once the server code is fixed', async () => {
    const { page } = await openPage(browser)
    await page.goto(server.url + '/loop-fix')
    // Shown once the page's dev code is running, which is what reloads it.
    await overlayOf(page)
    // The page's module is not in the browser: only the server knows that this edit matters.
    edit('app/loop-fix/page.tsx', "throw new Error('not fixed yet')", "return 'fixed now'")
    await page.waitForSelector('#fixed:has-text("fixed now")', { timeout: 20_000 })
    await page.close()
  })

  it('without error.tsx, the built-in error page shows the location and the frame in its HTML', async () => {
    const errorPage = readFileSync(path('app/error.tsx'), 'utf8')
    rmSync(path('app/error.tsx'))
    try {
      const at = throwAt('app/loop-loader/page.tsx')
      const r = await eventually('/loop-loader', (r) => r.body.includes('500 — Something went wrong'))
      expect(r.body).toContain(
        `<code data-pareto-error-location="">app/loop-loader/page.tsx:${at.line}:${at.column}</code>`,
      )
      expect(r.body).toMatch(new RegExp(`<pre data-pareto-error-frame=""[^>]*>[^<]*&gt; ${at.line} \\| `))
    } finally {
      write('app/error.tsx', errorPage)
    }
    await eventually('/loop-loader', (r) => r.body.includes('Custom error page'))
  })
})

describe('pareto dev: edits take effect without a restart', () => {
  it('Fast Refresh: a component edit shows in the open page and keeps its state', async () => {
    const { page } = await openPage(browser)
    await hydrated(page, '/loop-counter')
    for (let i = 0; i < 3; i++) await page.click('#loop-count')
    await page.waitForSelector('#loop-count:has-text("count is 3")')
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true))
    edit('app/loop-counter/page.tsx', 'count is {count}', 'clicks so far: {count}')
    await page.waitForSelector('#loop-count:has-text("clicks so far: 3")', { timeout: 20_000 })
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
    await page.close()
  })

  it('an edited loader, layout and head.tsx answer the next request', async () => {
    const first = await request(server.url + '/loop-edit')
    expect(first.body).toContain('loader v1')
    expect(first.body).toContain('data-layout="layout v1"')
    expect(first.body).toContain('<title>title v1</title>')
    edit('app/loop-edit/page.tsx', 'loader v1', 'loader v2')
    await eventually('/loop-edit', (r) => r.body.includes('loader v2'))
    edit('app/loop-edit/layout.tsx', 'layout v1', 'layout v2')
    await eventually('/loop-edit', (r) => r.body.includes('data-layout="layout v2"'))
    edit('app/loop-edit/head.tsx', 'title v1', 'title v2')
    const last = await eventually('/loop-edit', (r) => r.body.includes('<title>title v2</title>'))
    expect(last.body).toContain('loader v2')
    expect(last.body).toContain('data-layout="layout v2"')
  })

  it('a new route folder is served at once, and 404s once removed', async () => {
    expect((await request(server.url + '/loop-added')).status).toBe(404)
    write(
      'app/loop-added/page.tsx',
      'export default function Added() { return <h1 id="added">added at runtime</h1> }\n',
    )
    await eventually('/loop-added', (r) => r.status === 200 && r.body.includes('added at runtime'))
    rmSync(path('app/loop-added'), { recursive: true, force: true })
    await eventually('/loop-added', (r) => r.status === 404)
  })
})
