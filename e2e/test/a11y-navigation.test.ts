// Navigation for everyone, in Chromium: the polite live region says each new page's title (never on the first
// load, once per navigation, only where an interrupted one lands), focus goes to the new page (or its autoFocus
// element) and stays put on a query-only navigation, the window starts at the top or at the #hash target once
// deferred content brings it, back/forward restore, and view transitions run for opted-in navigations only.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, openPage } from '../helpers/browser.js'
import type { PageProblems } from '../helpers/browser.js'
import { buildFixtureCopy } from '../helpers/nginx.js'
import { FIXTURE } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'

let browser: Browser
let server: ServerProcess | undefined
// A copy of the basic fixture built with `viewTransitions: true` in its pareto.config.ts.
let animatedServer: ServerProcess | undefined
let animatedDir = ''

beforeAll(async () => {
  const config = readFileSync(join(FIXTURE, 'pareto.config.ts'), 'utf8')
  if (!config.includes('streamTimeout: 1500,'))
    throw new Error('e2e/fixtures/basic/pareto.config.ts changed: update a11y-navigation.test.ts')
  animatedDir = await buildFixtureCopy(
    'pareto-vt-',
    config.replace('streamTimeout: 1500,', 'streamTimeout: 1500,\n  viewTransitions: true,'),
  )
  ;[server, animatedServer, browser] = await Promise.all([
    // The basic fixture as global setup built it: no viewTransitions in its config.
    spawnServer(FIXTURE, ['start', '--port', '0']),
    spawnServer(animatedDir, ['start', '--port', '0']),
    launch(),
  ])
})

afterAll(async () => {
  await browser?.close()
  await Promise.all([server?.stop(), animatedServer?.stop()])
  if (animatedDir) rmSync(animatedDir, { recursive: true, force: true })
})

/** What the page recorded of `document.startViewTransition` calls (see recordTransitions). */
interface TransitionRecord {
  path: string
  ready: 'pending' | 'yes' | 'skipped'
  finished: boolean
  /** What the page held once the transition's update callback had run. */
  afterUpdate?: { fallback: boolean; section: boolean }
}

/** Wraps document.startViewTransition (the router calls it as a method of the document) to record each call. */
async function recordTransitions(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: TransitionRecord[] = []
    ;(window as unknown as { __transitions: TransitionRecord[] }).__transitions = calls
    const start = Document.prototype.startViewTransition
    Document.prototype.startViewTransition = function (this: Document, update) {
      const transition = start.call(this, update)
      const record: TransitionRecord = { path: location.pathname, ready: 'pending', finished: false }
      calls.push(record)
      transition.updateCallbackDone.then(() => {
        record.afterUpdate = {
          fallback: !!document.getElementById('late-fallback'),
          section: !!document.getElementById('late-section'),
        }
      })
      transition.ready.then(
        () => (record.ready = 'yes'),
        () => (record.ready = 'skipped'),
      )
      void transition.finished.then(() => (record.finished = true))
      return transition
    }
  })
}

const transitions = (page: Page) =>
  page.evaluate(() => (window as unknown as { __transitions: TransitionRecord[] }).__transitions)

/** Opens a fixture page, hydrated, with the navigation code loaded (a link hovered) and transitions recorded. */
async function open(path: string, base = server!.url): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openPage(browser)
  await recordTransitions(opened.page)
  await opened.page.goto(base + path)
  await opened.page.waitForLoadState('load')
  // Hydrated: the layout's counter reacts.
  await opened.page.click('#counter')
  await opened.page.waitForSelector('#counter:has-text("clicked 1")')
  return opened
}

/** Loads the navigation code by focusing a link (as a keyboard user does), waits for the live region, then focuses `then`. */
async function warm(page: Page, link: string, then = link): Promise<void> {
  await page.focus(link)
  await page.waitForSelector('#pareto-announcer', { state: 'attached' })
  await page.focus(then)
}

/** Records every text the live region is given, from now on. */
async function listen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const region = document.getElementById('pareto-announcer')!
    const said: string[] = []
    ;(window as unknown as { __said: string[] }).__said = said
    new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    })
  })
}

/** Presses Enter on the focused refresh button of the query page and waits for the fresh data to show. */
async function refreshed(page: Page): Promise<void> {
  const before = await page.textContent('#query-served')
  await page.keyboard.press('Enter')
  await page.waitForFunction((b) => document.getElementById('query-served')!.textContent !== b, before)
}

const said = (page: Page) => page.evaluate(() => (window as unknown as { __said: string[] }).__said)
const region = (page: Page) => page.textContent('#pareto-announcer')
const active = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement
    return el === document.body ? 'BODY' : (el?.id ?? el?.tagName ?? null)
  })
const scrollY = (page: Page) => page.evaluate(() => window.scrollY)
/** A script click: Playwright's own click would first scroll the link into view. */
const scriptClick = (page: Page, selector: string) =>
  page.evaluate((s) => (document.querySelector(s) as HTMLElement).click(), selector)

describe('the announcer', () => {
  it('is silent on the first load, then says each new title once, in one polite live region', async () => {
    const { page, problems } = await open('/a11y')
    // Nothing is said on the first load.
    expect(await page.evaluate(() => document.getElementById('pareto-announcer')?.textContent ?? '')).toBe('')
    await warm(page, '#to-plain')
    expect(await region(page)).toBe('')
    expect(await page.getAttribute('#pareto-announcer', 'aria-live')).toBe('polite')
    expect(await page.getAttribute('#pareto-announcer', 'aria-atomic')).toBe('true')
    expect(await page.locator('[aria-live]').count()).toBe(1)
    await listen(page)

    await page.keyboard.press('Enter')
    await page.waitForSelector('#plain')
    expect(await page.title()).toBe('Plain page')
    expect(await region(page)).toBe('Plain page')
    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    expect(await region(page)).toBe('A11y hub')
    await page.goForward()
    await page.waitForSelector('#plain')
    expect(await said(page)).toEqual(['Plain page', 'A11y hub', 'Plain page'])
    expect(await page.locator('[aria-live]').count()).toBe(1)
    // Still visually hidden.
    expect(await page.evaluate(() => document.getElementById('pareto-announcer')!.getBoundingClientRect().width)).toBe(
      1,
    )
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('an interrupted navigation is announced only where it lands', async () => {
    const { page, problems } = await open('/a11y')
    // Warmed by another link: a prefetched answer for the first slow page could land before the second click.
    await warm(page, '#to-plain')
    await listen(page)
    await scriptClick(page, '#to-slow-1')
    await page.waitForTimeout(150)
    await scriptClick(page, '#to-slow-2')
    await page.waitForSelector('#a11y-slow')
    expect(await page.textContent('#a11y-slow')).toBe('Slow page 2')
    await page.waitForTimeout(700)
    expect(await said(page)).toEqual(['Slow 2'])
    // Both links asked for an animation: only the page shown had one.
    expect((await transitions(page)).map((t) => t.path)).toEqual(['/a11y/slow'])
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a refresh says nothing and leaves focus where it is', async () => {
    const { page, problems } = await open('/a11y/query?page=3')
    await warm(page, '#query-next', '#query-refresh')
    await listen(page)
    await refreshed(page)
    expect(await said(page)).toEqual([])
    expect(await active(page)).toBe('query-refresh')
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('submissions', () => {
  it('answered in place say nothing and keep focus; redirected to another page, they announce it and focus it', async () => {
    const { page, problems } = await open('/a11y/form')
    await warm(page, '#form-to-plain', '#form-note')
    await listen(page)
    await page.keyboard.type('first')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#form-result:has-text("noted first")')
    expect(await active(page)).toBe('form-note')

    // A fetcher's revalidation shows fresh data in place.
    const before = await page.textContent('#form-saved')
    await page.focus('#form-fetch')
    await page.keyboard.press('Enter')
    await page.waitForFunction((b) => document.getElementById('form-saved')!.textContent !== b, before)
    expect(await active(page)).toBe('form-fetch')
    expect(await said(page)).toEqual([])

    await page.focus('#form-leave')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#plain')
    expect(new URL(page.url()).pathname).toBe('/a11y/plain')
    expect(await said(page)).toEqual(['Plain page'])
    expect(await active(page)).toBe('BODY')
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('focus', () => {
  it('moves to the new page: the document (Tab starts at the top), or its autoFocus element', async () => {
    const { page, problems } = await open('/a11y')
    await warm(page, '#to-plain')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#plain')
    expect(await active(page)).toBe('BODY')
    await page.keyboard.press('Tab')
    expect(await active(page)).toBe('counter')

    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    await page.focus('#to-autofocus')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#autofocus')
    expect(await active(page)).toBe('autofocus-input')
    // Focus does not scroll: the new page starts at the top.
    expect(await scrollY(page)).toBe(0)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('stays on the link or field of a navigation that changes only the query', async () => {
    const { page, problems } = await open('/a11y/query?page=1')
    await warm(page, '#query-next')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#query:has-text("Results page 2")')
    expect(await active(page)).toBe('query-next')
    expect(await region(page)).toBe('Results page 2')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#query:has-text("Results page 3")')
    expect(await active(page)).toBe('query-next')

    // A GET form: the field keeps focus and its caret.
    await page.focus('#query-q')
    await page.keyboard.type('cats')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#query:has-text("for cats")')
    expect(new URL(page.url()).search).toBe('?q=cats')
    expect(await active(page)).toBe('query-q')
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).selectionStart)).toBe(3)
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('scroll', () => {
  it('a new page starts at the top; back/forward restore; scroll={false} keeps the position', async () => {
    const { page, problems } = await open('/a11y')
    await page.evaluate(() => window.scrollTo(0, 1000))
    await scriptClick(page, '#to-plain')
    await page.waitForSelector('#plain')
    expect(await scrollY(page)).toBe(0)
    await page.evaluate(() => window.scrollTo(0, 700))
    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    expect(await scrollY(page)).toBe(1000)
    await page.goForward()
    await page.waitForSelector('#plain')
    expect(await scrollY(page)).toBe(700)
    await page.goBack()
    await page.waitForSelector('#a11y-hub')

    await page.evaluate(() => window.scrollTo(0, 2600))
    await scriptClick(page, '#to-plain-no-scroll')
    await page.waitForSelector('#plain')
    expect(await scrollY(page)).toBe(2600)
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a #hash target that deferred data brings is scrolled to once it is in, and again on back/forward', async () => {
    const { page, problems } = await open('/a11y')
    await scriptClick(page, '#to-late-hash')
    await page.waitForSelector('#late')
    expect(await page.locator('#late-fallback').count()).toBe(1)
    expect(await scrollY(page)).toBe(0)
    await page.waitForSelector('#late-section')
    const top = await page.evaluate(() => document.getElementById('late-section')!.offsetTop)
    expect(top).toBeGreaterThan(1900)
    await page.waitForFunction((t) => Math.abs(window.scrollY - t) <= 2, top)

    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    expect(await scrollY(page)).toBe(0)
    await page.goForward()
    await page.waitForSelector('#late-section')
    expect(Math.abs((await scrollY(page)) - top)).toBeLessThanOrEqual(2)
    expect(new URL(page.url()).hash).toBe('#late-section')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a history entry the browser made for a #hash, fetched again, lands at its target', async () => {
    const { page, problems } = await open('/a11y/late')
    await page.waitForSelector('#late-section')
    // A plain <a href="#…">: the browser's own entry, which the router has no scroll position for.
    await page.click('#late-hash-link')
    await page.waitForFunction(() => location.hash === '#late-section')
    await scriptClick(page, '#late-to-plain')
    await page.waitForSelector('#plain')
    await page.goBack()
    await page.waitForSelector('#late')
    expect(new URL(page.url()).hash).toBe('#late-section')
    await page.waitForSelector('#late-section')
    const top = await page.evaluate(() => document.getElementById('late-section')!.offsetTop)
    await page.waitForFunction((t) => Math.abs(window.scrollY - t) <= 2, top)
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('view transitions', () => {
  it('run for <Link viewTransition> and push(href, { viewTransition: true }), and back from them; not for a plain link', async () => {
    const { page, problems } = await open('/a11y')
    await warm(page, '#to-plain')
    await page.click('#to-plain')
    await page.waitForSelector('#plain')
    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    expect(await transitions(page)).toEqual([])

    await page.click('#to-plain-animated')
    await page.waitForSelector('#plain')
    await page.waitForFunction(
      () => (window as unknown as { __transitions: TransitionRecord[] }).__transitions[0]?.finished,
    )
    expect(await transitions(page)).toMatchObject([{ path: '/a11y/plain', ready: 'yes' }])
    // The page inside the transition is announced and focused like any other.
    expect(await region(page)).toBe('Plain page')
    expect(await active(page)).toBe('BODY')
    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    await page.click('#push-animated')
    await page.waitForSelector('#plain')
    expect((await transitions(page)).map((t) => t.path)).toEqual(['/a11y/plain', '/a11y', '/a11y/plain'])
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('do not run under prefers-reduced-motion', async () => {
    const { page, problems } = await open('/a11y')
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await warm(page, '#to-plain-animated')
    await page.click('#to-plain-animated')
    await page.waitForSelector('#plain')
    await page.click('#plain-to-hub')
    await page.waitForSelector('#a11y-hub')
    expect(await transitions(page)).toEqual([])
    // The same links animate once motion is welcome again.
    await page.emulateMedia({ reducedMotion: 'no-preference' })
    await page.click('#to-plain-animated')
    await page.waitForSelector('#plain')
    expect((await transitions(page)).map((t) => t.path)).toEqual(['/a11y/plain'])
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it("capture the new page's shell: deferred data streams in after the swap, not inside it", async () => {
    const { page, problems } = await open('/a11y')
    await warm(page, '#to-late-animated')
    await page.click('#to-late-animated')
    await page.waitForSelector('#late-section')
    const [t] = await transitions(page)
    expect(t).toMatchObject({ path: '/a11y/late', afterUpdate: { fallback: true, section: false } })
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('a navigation during a running transition ends it and lands on its own page, with no console error', async () => {
    const { page, problems } = await open('/a11y')
    // Slow animations, so the next navigation comes while one runs.
    await page.addStyleTag({
      content: '::view-transition-group(*),::view-transition-old(*),::view-transition-new(*){animation-duration:4s}',
    })
    await warm(page, '#to-plain-animated')
    await page.click('#to-plain-animated')
    await page.waitForSelector('#plain')
    await page.waitForFunction(
      () => (window as unknown as { __transitions: TransitionRecord[] }).__transitions[0]?.ready === 'yes',
    )
    const started = Date.now()
    // Animated, then plain: each newer page change ends the transition before it.
    await scriptClick(page, '#plain-to-hub')
    await page.waitForSelector('#a11y-hub')
    await scriptClick(page, '#to-plain')
    await page.waitForSelector('#plain')
    await page.waitForFunction(() =>
      (window as unknown as { __transitions: TransitionRecord[] }).__transitions.every((t) => t.finished),
    )
    expect(Date.now() - started).toBeLessThan(3000)
    expect((await transitions(page)).map((t) => t.path)).toEqual(['/a11y/plain', '/a11y'])
    expect(await region(page)).toBe('Plain page')
    expect(await page.title()).toBe('Plain page')
    expect(problems.errors).toEqual([])
    await page.close()
  })
})

describe('viewTransitions: true in pareto.config.ts', () => {
  it('animates every page change unless a link opts out; a refresh is not animated', async () => {
    const { page, problems } = await open('/a11y', animatedServer!.url)
    await warm(page, '#to-plain')
    await page.click('#to-plain')
    await page.waitForSelector('#plain')
    await page.goBack()
    await page.waitForSelector('#a11y-hub')
    expect((await transitions(page)).map((t) => t.path)).toEqual(['/a11y/plain', '/a11y'])
    await page.click('#to-plain-not-animated')
    await page.waitForSelector('#plain')
    expect(await transitions(page)).toHaveLength(2)

    await page.goto(animatedServer!.url + '/a11y/query?page=1')
    await warm(page, '#query-next', '#query-refresh')
    await refreshed(page)
    expect(await transitions(page)).toEqual([])
    await page.click('#query-next')
    await page.waitForSelector('#query:has-text("Results page 2")')
    expect((await transitions(page)).map((t) => t.path)).toEqual(['/a11y/query'])
    expect(problems.errors).toEqual([])
    await page.close()
  })
})
