import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'

/** Debian's Chromium, as the project's scripts install it; tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * A person's Chrome. Headless Chromium says "HeadlessChrome", which bot detection (rightly: prerender services run
 * it) takes for a crawler and serves the finished page instead of the stream; tests of what people see present this.
 */
export const PERSON_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

/** Launches headless Chromium with the flags this sandbox needs, presenting as a person's browser. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--user-agent=${PERSON_UA}`],
  })
}

/** Everything a page said that a user or developer would call a problem. */
export interface PageProblems {
  errors: string[]
  warnings: string[]
}

/** Opens a page that records console errors/warnings and uncaught exceptions. */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage()
  const problems: PageProblems = { errors: [], warnings: [] }
  page.on('console', (m) => {
    if (m.type() === 'error') problems.errors.push(m.text())
    if (m.type() === 'warning') problems.warnings.push(m.text())
  })
  page.on('pageerror', (e) => problems.errors.push(`uncaught: ${e.message}`))
  return { page, problems }
}
