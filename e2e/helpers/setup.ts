import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { launch } from './browser.js'
import { startServer } from './server.js'
import type { RunningServer } from './server.js'

/** Starts a fixture server and Chromium for the test file (in parallel) and stops both after it. */
export function useServerAndBrowser(
  cwd: string,
  command: 'start' | 'dev',
  hooks: { before?: () => void; after?: () => void } = {},
): { server: RunningServer; browser: Browser } {
  const env = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    hooks.before?.()
    ;[env.server, env.browser] = await Promise.all([startServer(cwd, command), launch()])
  })
  afterAll(async () => {
    hooks.after?.()
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}

/** Chromium for the whole test file: launched before its tests, closed after them. */
export function useBrowser(): { browser: Browser } {
  const env = {} as { browser: Browser }
  beforeAll(async () => {
    env.browser = await launch()
  })
  afterAll(async () => {
    await env.browser?.close()
  })
  return env
}
