// A rolling deploy as a user lives it: two builds of one app (the basic fixture, the second with a changed loader
// shape, so different chunks) each run by `pareto start` behind Debian's nginx in round robin, and one open tab
// that keeps navigating in Chromium (hover prefetches, link clicks, a form post, back). Every navigation must land
// on its page, rendered by one build's code with that build's data, with no uncaught error and nothing logged.
// Twice: each instance serving only its own files (the browser's 404 lines aside), then as deployment.md's
// "Rolling deploys" says (the new build keeping the old build's assets, nginx asking the next instance for an
// asset one lacks). Before builds had ids, the first threw uncaught import errors and both rendered foreign data.
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { Browser, ConsoleMessage } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../helpers/browser.js'
import { buildFixture } from '../helpers/fixtures.js'
import { docBlock, findNginx, startNginx } from '../helpers/nginx.js'
import type { Nginx } from '../helpers/nginx.js'
import { FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'

/** Link clicks in one tab; a form post and two steps back come after them. */
const CLICKS = 12
/**
 * Requests sent through the proxy by the test itself before each hover and each click (one character per click):
 * round robin is global, so they move the tab's next request to the other instance. Without them the tab's
 * requests fall into step with the rotation, and every data request can reach the same instance.
 */
const NUDGES = { hover: '100110100011', click: '010011001110' }

/** The page every navigation goes to, as each build writes it: same URL and text, different data and code. */
const PAGES = {
  one: `import { Link, useLoaderData } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'

export function loader(ctx: LoaderContext) {
  const n = Number(ctx.params.n)
  return { n, title: 'Page ' + n }
}

export default function DeployPage() {
  const { n, title } = useLoaderData<{ n: number; title: string }>()
  return (
    <section>
      <h1 id="title">{title}</h1>
      <p id="build">one</p>
      <Link id="next" href={'/deploy/' + (n + 1)}>next</Link>
    </section>
  )
}
`,
  // The loader's data has another shape: build one's page shows no title with it, and this one throws on build one's.
  two: `import { Link, useLoaderData } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'

export function loader(ctx: LoaderContext) {
  const n = Number(ctx.params.n)
  return { page: { number: n, heading: 'Page ' + n } }
}

export default function DeployPage() {
  const { page } = useLoaderData<{ page: { number: number; heading: string } }>()
  return (
    <section>
      <h1 id="title">{page.heading}</h1>
      <p id="build">two</p>
      <Link id="next" href={'/deploy/' + (page.number + 1)}>next</Link>
    </section>
  )
}
`,
}

/** A form whose action answers with a redirect (303 without JavaScript), in both builds. */
const FORM = (build: string) => `import { Form, redirect } from '@paretojs/core'
import type { ActionContext } from '@paretojs/core'

export async function action(ctx: ActionContext) {
  const form = await ctx.formData()
  redirect('/deploy/' + String(form.get('to')))
}

export default function SendPage() {
  return (
    <Form method="post" id="send">
      <p id="build">${build}</p>
      <input type="hidden" name="to" value="100" />
      <button id="submit">go</button>
    </Form>
  )
}
`

/** A copy of the basic fixture with the deploy pages of `build`, built with `pareto build`. */
async function buildCopy(build: keyof typeof PAGES): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `pareto-rolling-${build}-`))
  cpSync(FIXTURE, dir, {
    recursive: true,
    filter: (src) => !['node_modules', '.pareto'].includes(relative(FIXTURE, src)),
  })
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  mkdirSync(join(dir, 'app/deploy/[n]'), { recursive: true })
  mkdirSync(join(dir, 'app/deploy/send'), { recursive: true })
  writeFileSync(join(dir, 'app/deploy/[n]/page.tsx'), PAGES[build])
  writeFileSync(join(dir, 'app/deploy/send/page.tsx'), FORM(build))
  await buildFixture(dir)
  return dir
}

/** What one tab went through: each step's outcome, and what the page logged or threw. */
interface Journey {
  steps: { to: string; landed: boolean; build: string; documentLoad: boolean }[]
  problems: string[]
}

class Stop extends Error {}

/** Whether a console line is the browser's own report of a file that answered 404 (not something the page did). */
const missingFile = (m: ConsoleMessage) => m.text().startsWith('Failed to load resource:')

/**
 * Opens `/deploy/0` through the proxy and navigates as a person would: hover the next link (the router prefetches
 * its code and data), click it, CLICKS times; then a form post whose action redirects, then back twice. Each step
 * waits for its page's heading and says whether the tab loaded a new document to get there.
 */
async function journey(browser: Browser, base: string, ignore: (m: ConsoleMessage) => boolean): Promise<Journey> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const out: Journey = { steps: [], problems: [] }
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignore(m)) out.problems.push(`console: ${m.text()} (${m.location().url})`)
  })
  page.on('pageerror', (e) => out.problems.push(`uncaught: ${e.message}`))
  const mark = () => page.evaluate(() => ((window as { stayed?: boolean }).stayed = true)).catch(() => {})
  const arrive = async (n: number) => {
    const heading = page.locator('h1#title', { hasText: new RegExp(`^Page ${n}$`) })
    const landed = await heading.waitFor({ timeout: 8000 }).then(
      () => new URL(page.url()).pathname === `/deploy/${n}`,
      () => false,
    )
    const build = landed
      ? ((await page
          .locator('#build')
          .textContent()
          .catch(() => '')) ?? '')
      : ''
    const stayed = await page.evaluate(() => !!(window as { stayed?: boolean }).stayed).catch(() => false)
    out.steps.push({ to: `/deploy/${n}`, landed, build, documentLoad: !stayed })
    // The rest of the journey starts from this page.
    if (!landed) throw new Stop()
  }
  try {
    await page.goto(base + '/deploy/0')
    await arrive(0)
    const nudge = async (times: string | undefined) => {
      if (times === '1') await fetch(base + '/robots.txt').then((r) => r.arrayBuffer())
    }
    for (let n = 1; n <= CLICKS; n++) {
      await nudge(NUDGES.hover[n - 1])
      await page.hover('#next')
      // Past the link's hover intent (60 ms): its prefetch is on its way or done.
      await page.waitForTimeout(150)
      await nudge(NUDGES.click[n - 1])
      await mark()
      await page.click('#next')
      await arrive(n)
    }
    await page.goto(base + '/deploy/send')
    await page.locator('#send').waitFor()
    await page.waitForTimeout(300)
    await mark()
    await page.click('#submit')
    await arrive(100)
    for (const n of [CLICKS, CLICKS - 1]) {
      if (n === CLICKS) await page.goBack() // the form page
      await mark()
      await page.goBack()
      await arrive(n)
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error
  } finally {
    await context.close()
  }
  return out
}

describe('a rolling deploy behind nginx: two builds in round robin, one tab navigating', () => {
  const bin = findNginx()
  const dirs: string[] = []
  let servers: ServerProcess[] = []
  let proxy: Nginx | undefined
  let browser: Browser | undefined

  beforeAll(async () => {
    const [one, two] = await Promise.all([buildCopy('one'), buildCopy('two')])
    dirs.push(one!, two!)
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await proxy?.stop()
    await Promise.all(servers.map((s) => s.stop()))
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  const start = async (site?: string) => {
    await proxy?.stop()
    await Promise.all(servers.map((s) => s.stop()))
    servers = await Promise.all(dirs.map((d) => spawnServer(d, ['start', '--port', '0', '--host', '127.0.0.1'])))
    proxy = await startNginx(bin, [servers[0]!.port, servers[1]!.port], withPort(site))
  }

  const expectLanded = (j: Journey) => {
    expect(
      j.steps.filter((s) => !s.landed),
      JSON.stringify(j),
    ).toEqual([])
    expect(j.steps.length).toBe(CLICKS + 4)
    expect(j.problems).toEqual([])
  }

  it('each instance serving only its own build: every navigation lands, nothing uncaught or logged but the 404s', async () => {
    await start()
    const j = await journey(browser!, proxy!.url, missingFile)
    expectLanded(j)
    // Both builds answered, and the tab loaded a document where it met the other build.
    expect(new Set(j.steps.map((s) => s.build))).toEqual(new Set(['one', 'two']))
    expect(j.steps.slice(1).some((s) => s.documentLoad)).toBe(true)
  }, 180_000)

  it("as deployment.md says (the old build's assets kept, nginx asking the other instance for a file it lacks): no console error at all", async () => {
    const assets = (d: string) => join(d, '.pareto/client/assets')
    // The new build keeps the previous build's hashed files.
    for (const f of readdirSync(assets(dirs[0]!)))
      cpSync(join(assets(dirs[0]!), f), join(assets(dirs[1]!), f), { force: false })
    await start(rollingSite())
    const j = await journey(browser!, proxy!.url, () => false)
    expectLanded(j)
    expect(new Set(j.steps.map((s) => s.build))).toEqual(new Set(['one', 'two']))
    // Clicks answered by the tab's own build stay in the tab; one answered by the other build loads a document.
    const clicks = j.steps.slice(1, CLICKS + 1)
    expect(clicks.some((s) => !s.documentLoad)).toBe(true)
    expect(clicks.some((s) => s.documentLoad)).toBe(true)
  }, 180_000)
})

/** deployment.md's advice for nginx on a port other than 80: the Host it passes keeps the port (the form's Origin check). */
function withPort(site = docBlock('nginx', 'upstream pareto')): string {
  const parts = site.split('proxy_set_header Host $host;')
  if (parts.length !== 2)
    throw new Error("deployment.md's nginx block must pass Host $host once: update rolling-deploy.test.ts")
  return parts.join('proxy_set_header Host $http_host;')
}

/** deployment.md's nginx block with its rolling-deploy location for the assets in front of `location /`. */
function rollingSite(): string {
  const site = docBlock('nginx', 'upstream pareto')
  const assets = docBlock('nginx', 'location /assets/')
  const at = site.indexOf('    location / {')
  if (at < 0) throw new Error("deployment.md's nginx block has no `location / {`: update rolling-deploy.test.ts")
  return site.slice(0, at) + assets.replace(/^/gm, '    ').trimEnd() + '\n\n' + site.slice(at)
}
