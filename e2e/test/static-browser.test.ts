// Static pages in Chromium: the static-blog fixture built and served by `pareto start`. A static page
// hydrates without a console error, and client navigation goes static → per request → static without a
// document load, showing the data the build rendered (its loaders record process.pid).
import type { Browser, Request, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../helpers/browser.js'
import { buildFixture, fixtureDir, openIsolatedPage } from '../helpers/fixtures.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'

const DIR = fixtureDir('static-blog')
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  await buildFixture(DIR)
  server = await startServer(DIR, 'start')
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('static pages in the browser', () => {
  it('hydrates a static page without console errors or warnings', async () => {
    const { page, problems, close } = await openIsolatedPage(browser)
    await page.goto(`${server.url}/blog/hello`)
    await page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached' })
    expect(await page.textContent('#comments')).toContain('First comment on hello')
    expect(problems).toEqual({ errors: [], warnings: [], failedRequests: [] })
    await close()
  })

  it('navigates static → per request → static with no document load, showing build-time data; prefetch reads the file', async () => {
    const { page, problems, close } = await openIsolatedPage(browser)
    const documents: string[] = []
    const data: Response[] = []
    const prefetches: Request[] = []
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(r.url())
      if (r.url().includes('/__pareto/data/') && r.headers()['purpose'] === 'prefetch') prefetches.push(r)
    })
    page.on('response', (r) => {
      if (r.url().includes('/__pareto/data/')) data.push(r)
    })
    await page.goto(`${server.url}/blog/hello`)
    await page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached' })
    const buildPid = Number(await page.getAttribute('#rendered-by', 'data-pid'))
    expect(buildPid).not.toBe(server.proc.pid)
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'))

    // To a page rendered per request: its loader runs in the server.
    await page.click('#to-live')
    await page.waitForSelector('#title:text("Live")')
    expect(Number(await page.getAttribute('#rendered-by', 'data-pid'))).toBe(server.proc.pid)

    // Hovering the link prefetches the static page's data, answered from its file.
    await page.hover('#to-second')
    await expect.poll(() => prefetches.length).toBeGreaterThan(0)
    await page.click('#to-second')
    await page.waitForSelector('#title:text("Post: second")')
    expect(Number(await page.getAttribute('#rendered-by', 'data-pid'))).toBe(buildPid)
    expect(await page.textContent('#comments')).toContain('First comment on second')
    expect(await page.$('#comments-fallback')).toBeNull()

    // And to the static home page.
    await page.click('#to-home')
    await page.waitForSelector('h1:text("The static blog")')
    expect(Number(await page.getAttribute('#rendered-by', 'data-pid'))).toBe(buildPid)

    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here')
    expect(documents).toEqual([`${server.url}/blog/hello`])
    const fromFiles = data.filter((r) => r.headers()['etag']).map((r) => new URL(r.url()).pathname)
    expect(fromFiles).toEqual(expect.arrayContaining(['/__pareto/data/blog/second', '/__pareto/data/']))
    expect(data.find((r) => r.url().endsWith('/__pareto/data/live'))?.headers()['etag']).toBeUndefined()
    expect(problems).toEqual({ errors: [], warnings: [], failedRequests: [] })
    await close()
  })
})
