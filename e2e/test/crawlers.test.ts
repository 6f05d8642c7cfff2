import { describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { useServerAndBrowser } from '../helpers/setup.js'
import { arrivalOf, fetchTimed } from '../helpers/wire.js'

const env = useServerAndBrowser(FIXTURE, 'start')
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

/** What a finished page holds: the seed's deferred table and chart in place, no fallback, nothing to swap in. */
function expectWhole(body: string): void {
  expect(body).toContain('<td>Alpha</td>')
  expect(body).toContain('<div id="chart">3,1,4,1,5</div>')
  expect(body).not.toContain('Loading…')
  expect(body).not.toMatch(/<template id="B:|\$RC\(|<div hidden id="S:/)
}

describe('crawlers get the finished page in one response', () => {
  it("Googlebot's user agent: every deferred value as text, no fallback, nothing before the data is ready", async () => {
    const r = await fetchTimed(env.server.url + '/', { 'user-agent': GOOGLEBOT })
    expect(r.status).toBe(200)
    expectWhole(r.body)
    // The chart's data settles at 900 ms: the document starts only then.
    expect(arrivalOf(r, '<!DOCTYPE html>')).toBeGreaterThan(800)
  })

  it('a browser still gets the stream: the shell first, the data later', async () => {
    const r = await fetchTimed(env.server.url + '/', { 'user-agent': CHROME })
    expect(arrivalOf(r, '<h1>42<!-- --> items</h1>')).toBeLessThan(arrivalOf(r, '<td>Alpha</td>'))
    expect(r.body).toContain('Loading…')
  })

  it("pareto.config.ts's wholePage decides for the app (here a header its CDN sets)", async () => {
    const r = await fetchTimed(env.server.url + '/', { 'user-agent': CHROME, 'x-whole-page': '1' })
    expectWhole(r.body)
  })

  it('the finished page hydrates in Chromium without errors', async () => {
    const context = await env.browser.newContext({ userAgent: GOOGLEBOT })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(env.server.url + '/')
    await page.waitForLoadState('load')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(await page.textContent('#chart')).toBe('3,1,4,1,5')
    expect(await page.locator('.skeleton').count()).toBe(0)
    expect(errors).toEqual([])
    await context.close()
  })
})
