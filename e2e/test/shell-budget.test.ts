import { describe, expect, it } from 'vitest'
import { openPage } from '../helpers/browser.js'
import { FIXTURE } from '../helpers/paths.js'
import { useServerAndBrowser } from '../helpers/setup.js'
import { arrivalOf, fetchTimed } from '../helpers/wire.js'

const env = useServerAndBrowser(FIXTURE, 'start')
const SHELL = '<h1>Shell budget</h1>'

describe('the shell budget: deferred values that settle fast land with the shell', () => {
  it('a 5 ms value is in the first flush and its fallback is never sent; a 400 ms one still streams', async () => {
    const r = await fetchTimed(env.server.url + '/budget')
    expect(r.status).toBe(200)
    const shellAt = arrivalOf(r, SHELL)
    // The fast value and the fast rejection's error fallback are rendered in place, in the shell's own chunk.
    expect(arrivalOf(r, '<p id="fast">fast value</p>')).toBe(shellAt)
    expect(arrivalOf(r, 'failed: <!-- -->fast failure')).toBe(shellAt)
    expect(r.body).not.toContain('fast-fallback')
    expect(r.body).not.toContain('fails-fallback')
    // The slow one: its fallback in the shell, its value well after it.
    expect(arrivalOf(r, 'id="slow-fallback"')).toBe(shellAt)
    expect(arrivalOf(r, 'slow value') - shellAt).toBeGreaterThan(250)
  })

  it('navigation data carries the fast value with the first frame, in the same chunk', async () => {
    const r = await fetchTimed(env.server.url + '/__pareto/data/budget')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toContain('text/x-pareto-frames')
    // Whatever the framing, the first chunk holds the first frame and the fast value's line; the slow one comes later.
    const first = r.chunks[0]!.text
    expect(first).toContain('fast value')
    expect(first).not.toContain('slow value')
    expect(r.body).toContain('slow value')
  })

  it('the page hydrates cleanly, and client navigation to it never shows the fast fallback', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/budget-start')
    await page.waitForLoadState('load')
    // Hydrated: the layout's counter reacts.
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42))
    // Record every fallback that is ever put in the DOM, from before the click to the end.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { seenFallbacks: string[] }).seenFallbacks = [])
      new MutationObserver(() => {
        for (const id of ['fast-fallback', 'fails-fallback', 'slow-fallback'])
          if (document.getElementById(id) && !seen.includes(id)) seen.push(id)
      }).observe(document, { childList: true, subtree: true })
    })
    await page.click('#to-budget')
    await page.waitForSelector('#slow')
    expect(await page.textContent('#fast')).toBe('fast value')
    expect(await page.textContent('#fails')).toBe('failed: fast failure')
    // A client navigation, not a reload.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42)
    const seen = await page.evaluate(() => (window as unknown as { seenFallbacks: string[] }).seenFallbacks)
    expect(seen).toEqual(['slow-fallback'])
    expect(problems.errors).toEqual([])
    await page.context().close()
  })
})
