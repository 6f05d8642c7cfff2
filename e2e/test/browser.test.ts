import { describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { openPage } from '../helpers/browser.js'
import { useServerAndBrowser } from '../helpers/setup.js'

const env = useServerAndBrowser(FIXTURE, 'start')

describe('in Chromium, the production build', () => {
  it('shows the seed page shell, then the table and the chart in place of the skeletons, with a clean console', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/', { waitUntil: 'commit' })
    await page.waitForSelector('h1:has-text("42 items")')
    await page.waitForSelector('#table')
    await page.waitForSelector('#chart')
    expect(await page.locator('.skeleton').count()).toBe(0)
    expect(await page.textContent('#chart')).toBe('3,1,4,1,5')
    await page.waitForLoadState('load')
    // Hydrated: the layout's counter reacts to clicks.
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(problems.errors).toEqual([])
    expect(problems.warnings.filter((w) => /hydrat/i.test(w))).toEqual([])
    await page.close()
  })

  it('a rejected deferred promise shows its boundary fallback while the sibling section shows data', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/stream-error')
    await page.waitForSelector('#broken-fallback')
    await page.waitForSelector('#table')
    const text = await page.textContent('#broken-fallback')
    // Production: a generic message and a digest, never the server's own message.
    expect(text).toContain('An error occurred on the server.')
    expect(text).not.toContain('hunter2')
    const digest = /\[([0-9a-f]{10})\]/.exec(text ?? '')?.[1]
    expect(digest).toBeTruthy()
    await env.server.waitForOutput(`digest: ${digest}`)
    expect(await page.locator('#table-fallback').count()).toBe(0)
    // errorFallback on <Await> itself: rendered on the server already, same generic message and its own digest.
    const own = await page.textContent('#own-fallback')
    expect(own).toContain('An error occurred on the server.')
    expect(own).not.toContain('hunter3')
    const ownDigest = /\[([0-9a-f]{10})\]/.exec(own ?? '')?.[1]
    expect(ownDigest).toBeTruthy()
    expect(ownDigest).not.toBe(digest)
    await env.server.waitForOutput(`digest: ${ownDigest}`)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a never-settling promise ends in its boundary after the stream timeout', async () => {
    const { page, problems } = await openPage(env.browser)
    const started = Date.now()
    await page.goto(env.server.url + '/never', { waitUntil: 'commit' })
    await page.waitForSelector('#timeout-fallback', { timeout: 10_000 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400)
    expect(await page.textContent('#timeout-fallback')).toContain('did not settle within 1500 ms')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('loader strings stay text: no payload runs, in any position', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/xss')
    await page.waitForSelector('#later')
    await page.waitForSelector('#failing')
    const payload = '</script><script>window.__xss=1</script><!-- \u2028\u2029 <img src=x onerror="window.__xss=2">'
    for (const id of ['#top', '#nested', '#later', '#failing']) expect(await page.textContent(id)).toBe(payload)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('rich types survive SSR and hydration', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/types')
    await page.waitForSelector('#later-date')
    await page.waitForLoadState('load')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(await page.textContent('#date')).toBe('2026-01-02T00:00:00.000Z')
    expect(await page.textContent('#map')).toBe('map:1')
    expect(await page.textContent('#set')).toBe('set:xy')
    expect(await page.textContent('#big')).toBe('bigint:12345678901234567890')
    expect(await page.textContent('#later-date')).toBe('2027-06-06T00:00:00.000Z')
    expect(await page.textContent('#odd')).toBe('point:1,2')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('head and html attributes are right after hydration, with one title', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/blog/hello')
    await page.waitForLoadState('load')
    expect(await page.title()).toBe('hello — Blog')
    expect(await page.locator('title').count()).toBe(1)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.goto(env.server.url + '/fr')
    expect(await page.getAttribute('html', 'lang')).toBe('fr')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('not-found and error pages hydrate without errors', async () => {
    const { page, problems } = await openPage(env.browser)
    const nf = await page.goto(env.server.url + '/no/such/page')
    expect(nf?.status()).toBe(404)
    await page.waitForLoadState('load')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    const err = await page.goto(env.server.url + '/boom')
    expect(err?.status()).toBe(500)
    await page.waitForLoadState('load')
    expect(await page.textContent('#error-message')).toBe('An error occurred on the server.')
    // The 404 and 500 documents themselves are the only "failed resource" messages.
    expect(problems.errors.filter((e) => !/status of (404|500)/.test(e))).toEqual([])
    await page.close()
  })

  it('stores update after hydration: a global counter and a context store seeded from loader data', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/counter')
    await page.waitForLoadState('load')
    expect(await page.textContent('#cart')).toBe('apple,pear')
    await page.click('#global-count')
    await page.click('#global-count')
    await page.waitForSelector('#global-count:has-text("global 2")')
    await page.click('#add')
    await page.waitForSelector('#cart:has-text("apple,pear,plum")')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('under a strict nonce-based CSP, streaming and hydration still work', async () => {
    const { page, problems } = await openPage(env.browser)
    const violations: string[] = []
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()))
    const res = await page.goto(env.server.url + '/csp', { waitUntil: 'commit' })
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'nonce-/)
    await page.waitForSelector('#table')
    await page.waitForLoadState('load')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(violations).toEqual([])
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a rejected <Await> with no boundary of its own shows the error page, not a blank document', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/unguarded')
    await page.waitForSelector('#error-page')
    expect(await page.textContent('#error-message')).toBe('An error occurred on the server.')
    expect(await page.locator('#root-layout').count()).toBe(1)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it("large data (first frame and deferred value far over React's chunk size) streams and hydrates", async () => {
    const { page, problems } = await openPage(env.browser)
    const res = await page.goto(env.server.url + '/big')
    expect(res?.status()).toBe(200)
    await page.waitForSelector('#last-later')
    expect(await page.textContent('#big')).toBe('3000 rows')
    expect(await page.textContent('#last-later')).toContain('later row 2999')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(problems.errors).toEqual([])
    await page.close()
  })
})
