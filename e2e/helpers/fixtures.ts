import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CLI, E2E_DIR } from './paths.js'
import type { PageProblems } from './browser.js'

/** The folder of a fixture app under e2e/fixtures. */
export function fixtureDir(name: string): string {
  return resolve(E2E_DIR, 'fixtures', name)
}

/** Runs `pareto build` in a fixture, as a user would; rejects with the CLI's output if it fails. */
export function buildFixture(dir: string): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(process.execPath, [CLI, 'build'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`pareto build failed in ${dir}:\n${stdout}\n${stderr}`))
      else ok(stdout + stderr)
    })
  })
}

/**
 * The version of a package as the fixture resolves it (the first node_modules/<pkg> up from its folder, as
 * Node looks), so a test can say which Express or Tailwind it ran. Not require.resolve: some packages do not
 * export their package.json.
 */
export function resolvedVersion(dir: string, pkg: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, 'node_modules', pkg, 'package.json')
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    if (dirname(d) === d) throw new Error(`${pkg} is not installed for ${dir}: run npm install at the repo root.`)
  }
}

/** What a page said or failed to load that a user would call a problem, with JavaScript on or off. */
export interface IsolatedPage {
  context: BrowserContext
  page: Page
  /**
   * failedRequests: stylesheets that did not load, and any response with an error status. (Other failed
   * requests are not problems by themselves: with JavaScript off Chromium blocks every script, and the router
   * aborts a data request it no longer needs.)
   */
  problems: PageProblems & { failedRequests: string[] }
  close: () => Promise<void>
}

/**
 * Opens a page in a context of its own (JavaScript can be turned off there), recording console errors and
 * warnings, uncaught exceptions, requests that failed and responses with an error status.
 */
export async function openIsolatedPage(
  browser: Browser,
  opts: { javaScriptEnabled?: boolean } = {},
): Promise<IsolatedPage> {
  const context = await browser.newContext({ javaScriptEnabled: opts.javaScriptEnabled ?? true })
  const page = await context.newPage()
  const problems: IsolatedPage['problems'] = { errors: [], warnings: [], failedRequests: [] }
  // Chromium asks for /favicon.ico by itself; the fixtures have none.
  const favicon = (url: string) => new URL(url, 'http://x').pathname === '/favicon.ico'
  page.on('console', (m) => {
    if (favicon(m.location().url || 'http://x/')) return
    if (m.type() === 'error') problems.errors.push(m.text())
    if (m.type() === 'warning') problems.warnings.push(m.text())
  })
  page.on('pageerror', (e) => problems.errors.push(`uncaught: ${e.message}`))
  page.on('requestfailed', (r) => {
    if (r.resourceType() === 'stylesheet') problems.failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400 && !favicon(r.url())) problems.failedRequests.push(`${r.url()}: HTTP ${r.status()}`)
  })
  return { context, page, problems, close: () => context.close() }
}

/**
 * `pareto dev` only: Vite finds some dependencies (react-dom/client) when the browser first asks for the
 * client entry, optimizes them and reloads the page once. Visiting the pages first, until each has hydrated
 * (the fixtures' `#hydrated` element says "yes"), keeps that reload out of the tests that follow.
 */
export async function warmUpDev(browser: Browser, url: string, paths: string[]): Promise<void> {
  const p = await openIsolatedPage(browser)
  for (const path of paths) {
    await p.page.goto(url + path, { waitUntil: 'networkidle' })
    await p.page.waitForSelector('#hydrated[data-state="yes"]', { state: 'attached', timeout: 30_000 })
  }
  await p.close()
}
