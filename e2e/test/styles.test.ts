import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowser } from '../helpers/setup.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { buildFixture, fixtureDir, openIsolatedPage, resolvedVersion, warmUpDev } from '../helpers/fixtures.js'
import { request } from '../helpers/wire.js'

// Styles in real apps: Tailwind 3 (PostCSS) and Tailwind 4 (@tailwindcss/vite), the app/globals.css
// convention (nothing imports it), CSS imported by a layout's component, a route's own CSS file, CSS modules.
// Every page must be styled by the server-rendered HTML alone (JavaScript off), in production and in
// `pareto dev`, and client navigation must apply a route's CSS before its content is in the DOM.

/** Computed values (getPropertyValue names) expected per selector. */
type StyleSpec = Record<string, Record<string, string>>

interface StyleFixture {
  name: string
  /** The package name the fixture installs Tailwind under, and the major version it must resolve to. */
  tailwind: { pkg: string; major: number }
  /** The header's Tailwind background (bg-slate-900 in Tailwind 3; a `@theme` color, bg-brand, in Tailwind 4). */
  shellBackground: string
}

const FIXTURES: StyleFixture[] = [
  { name: 'tailwind3', tailwind: { pkg: 'tailwindcss3', major: 3 }, shellBackground: 'rgb(15, 23, 42)' },
  { name: 'tailwind4', tailwind: { pkg: 'tailwindcss', major: 4 }, shellBackground: 'rgb(200, 30, 90)' },
]

/** The root layout, on every page: Tailwind's preflight and utilities, the globals.css rule, a component's CSS. */
const layoutSpec = (fx: StyleFixture): StyleSpec => ({
  body: { 'margin-top': '0px' },
  '#shell': { 'background-color': fx.shellBackground, color: 'rgb(255, 255, 255)', 'padding-top': '16px' },
  '#globals-rule': { color: 'rgb(12, 34, 56)', 'letter-spacing': '3px' },
  '#badge': { 'border-bottom-width': '4px', 'border-bottom-color': 'rgb(250, 200, 0)' },
})
/** /styled: its own styled.css, a component's CSS module, a Tailwind class used only there. */
const STYLED: StyleSpec = {
  '#styled-title': { color: 'rgb(200, 100, 50)', 'text-transform': 'uppercase' },
  '#card': { 'background-color': 'rgb(40, 160, 90)', 'border-top-left-radius': '7px' },
  '#styled-tw': { 'margin-top': '24px' },
}
/** /stream: the shell (with the <Await> fallback), and the deferred content with a CSS module class. */
const STREAM_SHELL: StyleSpec = {
  '#stream-title': { 'text-transform': 'uppercase' },
  '#stream-fallback': { 'font-style': 'italic' },
}
const STREAM_DONE: StyleSpec = {
  '#stream-done': { 'background-color': 'rgb(90, 10, 200)', 'text-decoration-line': 'underline' },
}

/** The same shape as `spec`, with what the page computes (null for an element that is not there). */
function computed(page: Page, spec: StyleSpec): Promise<Record<string, Record<string, string> | null>> {
  return page.evaluate((spec) => {
    const out: Record<string, Record<string, string> | null> = {}
    for (const [selector, props] of Object.entries(spec)) {
      const el = document.querySelector(selector)
      const cs = el ? getComputedStyle(el) : null
      out[selector] = cs ? Object.fromEntries(Object.keys(props).map((p) => [p, cs.getPropertyValue(p)])) : null
    }
    return out
  }, spec)
}

/**
 * Records each selector's computed style at the moment its element enters the DOM (a MutationObserver runs
 * before the browser paints), so a style that arrives later — a flash of unstyled content — shows up.
 */
function watchInsertion(page: Page, spec: StyleSpec): Promise<void> {
  return page.evaluate((spec) => {
    const w = window as unknown as { __styleAtInsert: Record<string, Record<string, string>> }
    w.__styleAtInsert = {}
    const check = () => {
      for (const [selector, props] of Object.entries(spec)) {
        if (w.__styleAtInsert[selector]) continue
        const el = document.querySelector(selector)
        if (!el) continue
        const cs = getComputedStyle(el)
        w.__styleAtInsert[selector] = Object.fromEntries(Object.keys(props).map((p) => [p, cs.getPropertyValue(p)]))
      }
    }
    new MutationObserver(check).observe(document, { childList: true, subtree: true })
  }, spec)
}

async function styleAtInsertion(page: Page, spec: StyleSpec): Promise<StyleSpec> {
  const selectors = Object.keys(spec)
  await page.waitForFunction(
    (selectors) => {
      const seen = (window as unknown as { __styleAtInsert?: Record<string, unknown> }).__styleAtInsert ?? {}
      return selectors.every((s) => seen[s])
    },
    selectors,
    { timeout: 15_000 },
  )
  return page.evaluate(() => (window as unknown as { __styleAtInsert: StyleSpec }).__styleAtInsert)
}

/**
 * Stylesheets applied more than once: a href linked twice, or (dev) a Vite module both linked by the server
 * and injected again as a <style> by Vite's client (its data-vite-dev-id twice).
 */
function duplicateStylesheets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hrefs = Array.from(document.querySelectorAll('link[rel="stylesheet"]'), (l) => (l as HTMLLinkElement).href)
    const devIds = Array.from(
      document.querySelectorAll('link[rel="stylesheet"][data-vite-dev-id], style[data-vite-dev-id]'),
      (e) => `dev id ${e.getAttribute('data-vite-dev-id')}`,
    )
    const all = [...hrefs, ...devIds]
    return all.filter((h, i) => all.indexOf(h) !== i)
  })
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker)

/** The hrefs of the stylesheets linked in the server-rendered `<head>`. */
async function headStylesheets(url: string): Promise<{ status: number; hrefs: string[]; head: string }> {
  const r = await request(url)
  const end = r.body.indexOf('</head>')
  const head = end < 0 ? '' : r.body.slice(0, end)
  const hrefs = [...head.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /\brel="stylesheet"/.test(tag))
    .map((tag) => (/\bhref="([^"]+)"/.exec(tag)?.[1] ?? '').replace(/&amp;/g, '&'))
  return { status: r.status, hrefs, head }
}

const env = useBrowser()

for (const fx of FIXTURES) {
  const dir = fixtureDir(fx.name)

  describe(`styles: ${fx.name}`, () => {
    it(`the fixture resolves Tailwind ${fx.tailwind.major}`, () => {
      expect(Number(resolvedVersion(dir, fx.tailwind.pkg).split('.')[0])).toBe(fx.tailwind.major)
      if (fx.tailwind.major === 4) expect(Number(resolvedVersion(dir, '@tailwindcss/vite').split('.')[0])).toBe(4)
    })

    for (const command of ['start', 'dev'] as const) {
      const mode = command === 'start' ? 'production (pareto build + start)' : 'pareto dev'
      describe(mode, () => {
        let server: RunningServer
        beforeAll(async () => {
          if (command === 'start') await buildFixture(dir)
          server = await startServer(dir, command)
          if (command === 'dev') await warmUpDev(env.browser, server.url, ['/', '/styled', '/stream'])
        })
        afterAll(async () => {
          await server?.stop()
        })

        it('links stylesheets in the server-rendered <head>, each answering as CSS', async () => {
          for (const path of ['/', '/styled', '/stream']) {
            const { status, hrefs, head } = await headStylesheets(server.url + path)
            expect(status, path).toBe(200)
            expect(hrefs.length, `no <link rel="stylesheet"> in the <head> of ${path}:\n${head}`).toBeGreaterThan(0)
            for (const href of hrefs) {
              const css = await request(new URL(href, server.url).href, { headers: { accept: 'text/css,*/*;q=0.1' } })
              expect(css.status, href).toBe(200)
              expect(css.headers['content-type'], href).toMatch(/text\/css/)
            }
          }
        })

        it("with JavaScript off, / is styled: Tailwind in the layout, the globals.css rule (never imported), a component's CSS", async () => {
          const p = await openIsolatedPage(env.browser, { javaScriptEnabled: false })
          await p.page.goto(server.url + '/')
          expect(await p.page.textContent('#home')).toContain('home')
          expect(await computed(p.page, layoutSpec(fx))).toEqual(layoutSpec(fx))
          expect(p.problems.failedRequests).toEqual([])
          expect(p.problems.errors).toEqual([])
          await p.close()
        })

        it('with JavaScript off, /styled has its own CSS file, its CSS module and Tailwind, with the layout styled too', async () => {
          const p = await openIsolatedPage(env.browser, { javaScriptEnabled: false })
          await p.page.goto(server.url + '/styled')
          expect(await computed(p.page, STYLED)).toEqual(STYLED)
          expect(await computed(p.page, layoutSpec(fx))).toEqual(layoutSpec(fx))
          // The CSS module's class name is the generated one, not the source name.
          const cardClass = await p.page.getAttribute('#card', 'class')
          expect(cardClass).toBeTruthy()
          expect(cardClass).not.toBe('card')
          expect(p.problems.failedRequests).toEqual([])
          expect(p.problems.errors).toEqual([])
          await p.close()
        })

        it('with JavaScript off, a defer() page streams a styled shell with its fallback', async () => {
          const p = await openIsolatedPage(env.browser, { javaScriptEnabled: false })
          await p.page.goto(server.url + '/stream')
          expect(await computed(p.page, STREAM_SHELL)).toEqual(STREAM_SHELL)
          expect(await computed(p.page, layoutSpec(fx))).toEqual(layoutSpec(fx))
          expect(await p.page.isVisible('#stream-fallback')).toBe(true)
          expect(p.problems.failedRequests).toEqual([])
          await p.close()
        })

        it('with JavaScript on, a defer() page shows the streamed content styled (its CSS module) once React swaps it in', async () => {
          const p = await openIsolatedPage(env.browser)
          await p.page.goto(server.url + '/stream', { waitUntil: 'commit' })
          // Read in the same step that sees the content visible: no later stylesheet can make it pass.
          const handle = await p.page.waitForFunction(
            (spec) => {
              const out: Record<string, Record<string, string>> = {}
              for (const [selector, props] of Object.entries(spec)) {
                const el = document.querySelector(selector)
                if (!el || el.closest('[hidden]')) return false
                const cs = getComputedStyle(el)
                out[selector] = Object.fromEntries(Object.keys(props).map((prop) => [prop, cs.getPropertyValue(prop)]))
              }
              return out
            },
            STREAM_DONE,
            { timeout: 15_000 },
          )
          expect(await handle.jsonValue()).toEqual(STREAM_DONE)
          expect(await p.page.locator('#stream-fallback').count()).toBe(0)
          await p.page.waitForLoadState('load')
          expect(await computed(p.page, layoutSpec(fx))).toEqual(layoutSpec(fx))
          expect(await duplicateStylesheets(p.page)).toEqual([])
          expect(p.problems.failedRequests).toEqual([])
          expect(p.problems.errors).toEqual([])
          await p.close()
        })

        it("client navigation applies each route's CSS before its content is in the DOM, without a reload, linking nothing twice", async () => {
          const p = await openIsolatedPage(env.browser)
          const { page, problems } = p
          await page.goto(server.url + '/')
          await page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached' })
          await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
          expect(await duplicateStylesheets(page)).toEqual([])

          // / -> /styled: its own CSS file and its CSS module.
          await watchInsertion(page, STYLED)
          await page.click('#to-styled')
          expect(await styleAtInsertion(page, STYLED)).toEqual(STYLED)
          expect(new URL(page.url()).pathname).toBe('/styled')
          expect(await marker(page)).toBe(42)
          expect(await computed(page, layoutSpec(fx))).toEqual(layoutSpec(fx))
          expect(await duplicateStylesheets(page)).toEqual([])

          // /styled -> / -> /stream: a defer() page, its streamed content with a CSS module class.
          await page.click('#to-home')
          await page.waitForSelector('#home')
          await watchInsertion(page, { ...STREAM_DONE, '#stream-title': STREAM_SHELL['#stream-title'] })
          await page.click('#to-stream')
          expect(
            await styleAtInsertion(page, { ...STREAM_DONE, '#stream-title': STREAM_SHELL['#stream-title'] }),
          ).toEqual({
            ...STREAM_DONE,
            '#stream-title': STREAM_SHELL['#stream-title'],
          })
          expect(await marker(page)).toBe(42)

          // And back to /styled: its CSS is still right, and still linked once.
          await page.click('#to-styled')
          await page.waitForSelector('#styled-title')
          expect(await computed(page, STYLED)).toEqual(STYLED)
          expect(await marker(page)).toBe(42)
          expect(await duplicateStylesheets(page)).toEqual([])
          expect(problems.failedRequests).toEqual([])
          expect(problems.errors).toEqual([])
          await p.close()
        })
      })
    }
  })
}
