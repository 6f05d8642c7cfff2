import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { FIXTURE } from '../helpers/paths.js'
import { openPage } from '../helpers/browser.js'
import { useServerAndBrowser } from '../helpers/setup.js'
import type { PageProblems } from '../helpers/browser.js'
import { request } from '../helpers/wire.js'

const env = useServerAndBrowser(FIXTURE, 'start')

/** Opens /nav hydrated, with a marker on window that only survives client-side navigation. */
async function hub(): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openPage(env.browser)
  await opened.page.goto(env.server.url + '/nav')
  await opened.page.waitForLoadState('load')
  // Hydration done: the layout's counter reacts.
  await opened.page.click('#counter')
  await opened.page.waitForSelector('#counter:has-text("clicked 1")')
  await opened.page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
  return opened
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker)

describe('client-side navigation', () => {
  it('streams the seed page in without a reload: heading, then table, then chart', async () => {
    const { page, problems } = await hub()
    await page.click('#to-seed')
    await page.waitForSelector('h1:has-text("42 items")')
    // The shell shows before the deferred sections, as on first load.
    expect(await page.locator('#table').count()).toBe(0)
    expect(await page.locator('.skeleton').count()).toBe(2)
    await page.waitForSelector('#table')
    expect(await page.locator('#chart').count()).toBe(0)
    await page.waitForSelector('#chart')
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await marker(page)).toBe(42)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('back/forward restore the page, its title and meta, <html lang>, and the scroll offset', async () => {
    const { page, problems } = await hub()
    await page.click('#to-blog')
    await page.waitForSelector('#post')
    expect(await page.title()).toBe('hello — Blog')
    expect(await page.locator('title').count()).toBe(1)
    expect(await page.getAttribute('meta[name=description]', 'content')).toBe('post hello')
    await page.goBack()
    await page.waitForSelector('#nav')
    expect(await page.title()).toBe('Fixture')
    expect(await page.getAttribute('meta[name=description]', 'content')).toBe('root description')
    expect(await page.locator('meta[name=description]').count()).toBe(1)

    await page.click('#to-fr')
    await page.waitForSelector('#fr')
    expect(await page.getAttribute('html', 'lang')).toBe('fr')
    expect(await page.getAttribute('html', 'data-section')).toBe('fr')
    await page.goBack()
    await page.waitForSelector('#nav')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.goForward()
    await page.waitForSelector('#fr')
    expect(await page.getAttribute('html', 'lang')).toBe('fr')
    await page.goBack()
    await page.waitForSelector('#nav')

    await page.click('#to-tall')
    await page.waitForSelector('#tall')
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await page.evaluate(() => window.scrollTo(0, 1500))
    // A script click: Playwright's own click would first scroll the link into view.
    await page.evaluate(() => (document.querySelector('#tall-to-blog') as HTMLAnchorElement).click())
    await page.waitForSelector('#post')
    // A new navigation starts at the top.
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await page.goBack()
    await page.waitForSelector('#tall')
    await page.waitForFunction(() => window.scrollY > 0)
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - 1500)).toBeLessThanOrEqual(2)
    expect(await marker(page)).toBe(42)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('two quick clicks: only the second page shows, and the server saw the first aborted', async () => {
    const { page, problems } = await hub()
    await page.click('#to-slow-1')
    expect(await page.textContent('#nav-state')).toBe('busy')
    await page.waitForTimeout(150)
    await page.click('#to-slow-2')
    await page.waitForSelector('#slow')
    expect(await page.textContent('#slow')).toBe('Slow page 2')
    expect(await page.textContent('#nav-state')).toBe('idle')
    expect(new URL(page.url()).search).toBe('?n=2')
    await page.waitForTimeout(800)
    expect(await page.textContent('#slow')).toBe('Slow page 2')
    expect(env.server.output()).toContain('[fixture] slow loader aborted n=1')
    expect(env.server.output()).not.toContain('[fixture] slow loader aborted n=2')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('follows a redirect without a reload, shows not-found, contains a rejected deferred promise, stops a redirect loop', async () => {
    const { page, problems } = await hub()
    await page.click('#to-redirect')
    await page.waitForSelector('#post')
    expect(new URL(page.url()).pathname).toBe('/blog/from-redirect')
    expect(await marker(page)).toBe(42)

    await page.goBack()
    await page.waitForSelector('#nav')
    await page.click('#to-missing')
    await page.waitForSelector('#not-found')
    expect(await page.locator('#root-layout').count()).toBe(1)
    expect(await marker(page)).toBe(42)

    await page.goBack()
    await page.waitForSelector('#nav')
    await page.click('#to-stream-error')
    await page.waitForSelector('#broken-fallback')
    await page.waitForSelector('#table')
    expect(await page.textContent('#broken-fallback')).toContain('An error occurred on the server.')

    await page.goBack()
    await page.waitForSelector('#nav')
    await page.click('#to-loop')
    await page.waitForSelector('#error-message')
    expect(await page.textContent('#error-message')).toContain('Too many redirects')
    expect(await marker(page)).toBe(42)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('leaves modified clicks, new tabs, downloads, external links and same-page hashes to the browser', async () => {
    const { page } = await hub()
    // Record whether Pareto claimed each click, then stop the browser from really leaving.
    await page.evaluate(() => {
      const w = window as unknown as { __claimed: Record<string, boolean> }
      w.__claimed = {}
      window.addEventListener('click', (e) => {
        const a = (e.target as Element).closest('a')
        if (!a) return
        w.__claimed[a.id + (e.ctrlKey ? '+ctrl' : '') + (e.shiftKey ? '+shift' : '')] = e.defaultPrevented
        e.preventDefault()
      })
    })
    await page.click('#to-blog', { modifiers: ['Control'] })
    await page.click('#to-blog', { modifiers: ['Shift'] })
    await page.click('#to-external')
    await page.click('#to-blank')
    await page.click('#to-hash')
    await page.click('#to-seed')
    const claimed = await page.evaluate(() => (window as unknown as { __claimed: Record<string, boolean> }).__claimed)
    expect(claimed).toEqual({
      'to-blog+ctrl': false,
      'to-blog+shift': false,
      'to-external': false,
      'to-blank': false,
      'to-hash': false,
      'to-seed': true,
    })
    await page.close()
  })

  it('a link to a resource route is loaded by the browser', async () => {
    const { page } = await hub()
    await page.click('#to-api')
    await page.waitForURL('**/api/items')
    expect(await page.textContent('body')).toContain('"items":[1,2,3]')
    await page.close()
  })

  it('prefetch on hover loads the route module before the click; prefetch="none" does not', async () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURE, '.pareto/client/.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string }
    >
    const typesChunk = '/' + manifest['app/types/page.tsx'].file
    const pricingChunk = '/' + manifest['app/(marketing)/pricing/page.tsx'].file
    const { page } = await hub()
    const requested: string[] = []
    page.on('request', (r) => requested.push(new URL(r.url()).pathname))
    await page.hover('#no-prefetch')
    await page.hover('#to-types')
    await page.waitForTimeout(400)
    expect(requested).toContain(typesChunk)
    expect(requested).not.toContain(pricingChunk)
    const before = requested.length
    await page.click('#to-types')
    await page.waitForSelector('#later-date')
    // The click itself only needed the data.
    expect(requested.slice(before).filter((p) => p === typesChunk)).toEqual([])
    // Rich types survive the navigation path as they do the document path.
    expect(await page.textContent('#date')).toBe('2026-01-02T00:00:00.000Z')
    expect(await page.textContent('#map')).toBe('map:1')
    expect(await page.textContent('#set')).toBe('set:xy')
    expect(await page.textContent('#big')).toBe('bigint:12345678901234567890')
    expect(await page.textContent('#later-date')).toBe('2027-06-06T00:00:00.000Z')
    await page.close()
  })

  it('a page that is only read loads neither the navigation code nor turbo-stream; the first link hover loads navigation', async () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURE, '.pareto/client/.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string }
    >
    const chunkOf = (suffix: string) => {
      const key = Object.keys(manifest).find((k) => k.endsWith(suffix))
      expect(key, `no chunk for ${suffix} in the manifest`).toBeDefined()
      return '/' + manifest[key!]!.file
    }
    const navigationChunk = chunkOf('client/navigation.js')
    const turboChunk = chunkOf('wire/decode-turbo.js')
    const { page, problems } = await openPage(env.browser)
    const requested: string[] = []
    page.on('request', (r) => requested.push(new URL(r.url()).pathname))
    await page.goto(env.server.url + '/nav')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    await page.waitForTimeout(300)
    expect(requested).not.toContain(navigationChunk)
    expect(requested).not.toContain(turboChunk)
    await page.hover('#to-types')
    await page.waitForTimeout(400)
    expect(requested).toContain(navigationChunk)
    // The types page's data holds a Date, Map, Set and BigInt: only now is turbo-stream's decoder needed.
    await page.click('#to-types')
    await page.waitForSelector('#later-date')
    expect(requested).toContain(turboChunk)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('useRouter().push and replace navigate client-side; the data endpoint answers a navigation as lines', async () => {
    const { page, problems } = await hub()
    await page.evaluate(() => {
      // Drive the router the way app code does, through a Link-less call: dispatch a click on a Link.
      ;(document.querySelector('#to-blog') as HTMLAnchorElement).click()
    })
    await page.waitForSelector('#post')
    expect(await marker(page)).toBe(42)
    expect(problems.errors).toEqual([])
    await page.close()

    const r = await request(env.server.url + '/__pareto/data/blog/hello?x=1', { headers: { cookie: 'token=abc' } })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toContain('text/x-pareto-frames')
    expect(r.body).toContain('"/blog/[slug]"')
    const redirect = await request(env.server.url + '/__pareto/data/redirect')
    expect(redirect.status).toBe(200)
    expect(redirect.body).toContain('"/blog/from-redirect"')
  })

  it('push() adds a history entry, replace() does not', async () => {
    const { page, problems } = await hub()
    const length = await page.evaluate(() => history.length)
    await page.click('#push-blog')
    await page.waitForSelector('#post:has-text("pushed")')
    expect(await page.evaluate(() => history.length)).toBe(length + 1)
    await page.goBack()
    await page.waitForSelector('#nav')
    await page.click('#replace-fr')
    await page.waitForSelector('#fr')
    // /fr took /nav's entry (and dropped the forward one): no entry was added.
    expect(await page.evaluate(() => history.length)).toBe(length + 1)
    expect(new URL(page.url()).pathname).toBe('/fr')
    expect(await marker(page)).toBe(42)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a loader error during navigation shows error.tsx; a failed data request falls back to a full page load', async () => {
    const { page, problems } = await hub()
    await page.click('#to-boom')
    await page.waitForSelector('#error-page')
    expect(await page.textContent('#error-message')).toBe('An error occurred on the server.')
    expect(await marker(page)).toBe(42)
    await page.goBack()
    await page.waitForSelector('#nav')
    await page.route('**/__pareto/data/**', (route) => route.abort('connectionrefused'))
    await page.click('#to-blog')
    await page.waitForSelector('#post')
    // The document was loaded by the browser: the marker is gone.
    expect(await marker(page)).toBeUndefined()
    expect(problems.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([])
    await page.close()
  })

  it('prefetch="viewport" loads the route module once the link scrolls into view', async () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURE, '.pareto/client/.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string }
    >
    const echoChunk = '/' + manifest['app/echo/page.tsx'].file
    const { page } = await hub()
    await page.click('#to-tall')
    await page.waitForSelector('#tall')
    const requested: string[] = []
    page.on('request', (r) => requested.push(new URL(r.url()).pathname))
    await page.waitForTimeout(300)
    expect(requested).not.toContain(echoChunk)
    await page.evaluate(() => document.querySelector('#tall-viewport')!.scrollIntoView())
    await page.waitForTimeout(400)
    expect(requested).toContain(echoChunk)
    await page.close()
  })

  it("loads the route's module while its data is still on the way, not after", async () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURE, '.pareto/client/.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string }
    >
    const slowChunk = '/' + manifest['app/slow/page.tsx'].file
    const { page } = await hub()
    const events: [string, number][] = []
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname
      if (path === slowChunk) events.push(['module requested', Date.now()])
    })
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/__pareto/data/slow')) events.push(['data answered', Date.now()])
    })
    // A script click: no hover, so nothing was prefetched.
    await page.evaluate(() => (document.querySelector('#to-slow-1') as HTMLAnchorElement).click())
    await page.waitForSelector('#slow')
    const moduleAt = events.find(([e]) => e === 'module requested')?.[1]
    const dataAt = events.find(([e]) => e === 'data answered')?.[1]
    expect(moduleAt).toBeDefined()
    expect(dataAt).toBeDefined()
    // The slow loader takes 600 ms: the module was asked for long before the data's headers came back.
    expect(moduleAt!).toBeLessThan(dataAt!)
    await page.close()
  })
})
