import { describe, expect, it } from 'vitest'
import type { Page, Request } from 'playwright-core'
import { FIXTURE } from '../helpers/paths.js'
import { openPage } from '../helpers/browser.js'
import { useServerAndBrowser } from '../helpers/setup.js'
import { request } from '../helpers/wire.js'

// What real apps ran into and our fixtures never had: render errors on the first load, quick clicks,
// leaving a page while it streams, prefetched data.
const env = useServerAndBrowser(FIXTURE, 'start')

const marker = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker)
const setMarker = (page: Page) => page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7))
const isDataRequest = (path: string) => (r: Request) => new URL(r.url()).pathname === `/__pareto/data${path}`

describe('a render error on the first load', () => {
  it('inside a ParetoErrorBoundary: status 200, the fallback with the rest of the page, with JavaScript off', async () => {
    const r = await request(env.server.url + '/boundary')
    expect(r.status).toBe(200)
    const context = await env.browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(env.server.url + '/boundary')
    expect(await page.isVisible('#widget-fallback')).toBe(true)
    expect(await page.isVisible('#boundary-title')).toBe(true)
    expect(await page.isVisible('#after-boundary')).toBe(true)
    expect(await page.isVisible('#root-layout')).toBe(true)
    await context.close()
  })

  it('inside a ParetoErrorBoundary: hydrates with the fallback shown and no console error', async () => {
    const { page, problems } = await openPage(env.browser)
    const res = await page.goto(env.server.url + '/boundary')
    expect(res?.status()).toBe(200)
    await page.waitForLoadState('load')
    // Hydrated: the layout's counter reacts, and the boundary still shows its fallback, once.
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(await page.locator('#widget-fallback').count()).toBe(1)
    expect(await page.isVisible('#widget-fallback')).toBe(true)
    expect(await page.isVisible('#after-boundary')).toBe(true)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('with no boundary of the app: the 500 error page inside the root layout, with the root head', async () => {
    const { page, problems } = await openPage(env.browser)
    const res = await page.goto(env.server.url + '/render-crash')
    expect(res?.status()).toBe(500)
    await page.waitForLoadState('load')
    expect(await page.isVisible('#error-page')).toBe(true)
    expect(await page.isVisible('#root-layout')).toBe(true)
    expect(await page.title()).toBe('Fixture')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(problems.errors.filter((e) => !/status of 500/.test(e))).toEqual([])
    await page.close()
  })

  it('the same two pages on client navigation: the boundary contains it, the error page sits in the root layout', async () => {
    const { page } = await openPage(env.browser)
    await page.goto(env.server.url + '/stream-nav')
    await page.waitForSelector('#late')
    await setMarker(page)
    await page.click('#to-boundary')
    await page.waitForSelector('#widget-fallback')
    expect(await page.isVisible('#after-boundary')).toBe(true)
    await page.goBack()
    await page.waitForSelector('#stream-nav')
    await page.click('#to-render-crash')
    await page.waitForSelector('#error-page')
    expect(await page.isVisible('#root-layout')).toBe(true)
    expect(await marker(page)).toBe(7)
    await page.close()
  })
})

describe('no lost clicks', () => {
  it('every click right after the load event counts, with the route chunks held back 300 ms', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.route(/\/assets\/(?!client-entry).+\.js$/, async (route) => {
      await new Promise((r) => setTimeout(r, 300))
      await route.continue()
    })
    await page.goto(env.server.url + '/counter', { waitUntil: 'load' })
    for (let i = 0; i < 3; i++) await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 3")', { timeout: 5000 })
    // Each click counted once, not again once hydrated.
    await new Promise((r) => setTimeout(r, 300))
    expect(await page.textContent('#counter')).toBe('clicked 3')
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('back and forward after leaving a page while it streams', () => {
  it('show the page whole again (back, back again, forward), never our own cancellation as its error', async () => {
    const { page, problems } = await openPage(env.browser)
    const requests: string[] = []
    page.on('request', (r) => requests.push(new URL(r.url()).pathname))
    await page.goto(env.server.url + '/nav')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    await setMarker(page)
    await page.click('#to-stream-nav')
    await page.waitForSelector('#stream-nav')
    expect(await page.isVisible('#late-fallback')).toBe(true)
    // Leave before the deferred value (1.2 s) arrives.
    await page.click('#stream-nav-leave')
    await page.waitForSelector('#nav')
    await page.goBack()
    await page.waitForSelector('#stream-nav')
    await page.waitForSelector('#late', { timeout: 5000 })
    expect(await page.locator('#late-error').count()).toBe(0)
    const asked = () => requests.filter((u) => u === '/__pareto/data/stream-nav').length
    const refetched = asked()
    expect(refetched).toBe(2)
    // Now whole, the page comes back from the back/forward cache, without asking again.
    await page.goBack()
    await page.waitForSelector('#nav')
    await page.goForward()
    await page.waitForSelector('#late', { timeout: 5000 })
    expect(await page.locator('#late-error').count()).toBe(0)
    expect(asked()).toBe(refetched)
    expect(await marker(page)).toBe(7)
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('prefetching loader data', () => {
  it('a hovered Link warms its data, and the click uses that answer instead of asking again', async () => {
    const { page, problems } = await openPage(env.browser)
    const asked: string[] = []
    page.on('request', (r) => isDataRequest('/prefetch-target')(r) && asked.push(new URL(r.url()).search))
    await page.goto(env.server.url + '/prefetch')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    await setMarker(page)
    const prefetched = page.waitForRequest(isDataRequest('/prefetch-target'))
    await page.hover('#hover-link')
    expect(new URL((await prefetched).url()).search).toBe('?via=hover')
    expect((await prefetched).headers()['purpose']).toBe('prefetch')
    await page.click('#hover-link')
    await page.waitForSelector('#prefetch-target')
    expect(asked.filter((q) => q === '?via=hover')).toHaveLength(1)
    // A link that is merely in view warms code, not data.
    expect(asked.filter((q) => q === '?via=viewport')).toHaveLength(0)
    expect(await marker(page)).toBe(7)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('useRouter().prefetch() warms data too, and an answer older than the freshness window is not shown', async () => {
    const { page } = await openPage(env.browser)
    const asked: string[] = []
    page.on('request', (r) => isDataRequest('/prefetch-target')(r) && asked.push(new URL(r.url()).search))
    await page.goto(env.server.url + '/prefetch')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    const prefetched = page.waitForRequest(isDataRequest('/prefetch-target'))
    await page.click('#prefetch-call')
    await prefetched
    expect(asked).toEqual(['?via=call'])
    // Past the 5 s window the prefetched answer is dropped: the navigation asks again.
    await new Promise((r) => setTimeout(r, 5300))
    await page.click('#call-link')
    await page.waitForSelector('#prefetch-target')
    expect(asked).toEqual(['?via=call', '?via=call'])
    await page.close()
  })
})
