import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NPM_FLAGS, packWorkspace } from '../helpers/pack.js'
import { FIXTURE } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import { arrivalOf, fetchTimed } from '../helpers/wire.js'
import { launch, openPage } from '../helpers/browser.js'

// The packed package in an empty folder, as a user installs it: nothing borrowed from this repo.
let dir: string
let cli: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pareto-pack-'))
  const packDir = join(dir, 'pack')
  mkdirSync(packDir)
  // pack-clean.test.ts covers prepack's build; here the built dist/ is packed as it is, not deleted under other tests.
  const { tgz } = packWorkspace('@paretojs/core', packDir, ['--ignore-scripts'])
  const app = join(dir, 'app-root')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true }, null, 2))
  // The seed page and its helpers, copied from the fixture.
  mkdirSync(join(app, 'app'))
  cpSync(join(FIXTURE, 'app/page.tsx'), join(app, 'app/page.tsx'))
  cpSync(join(FIXTURE, 'lib'), join(app, 'lib'), { recursive: true })
  execFileSync('npm', ['install', ...NPM_FLAGS, tgz, 'react@^19', 'react-dom@^19'], {
    cwd: app,
    stdio: 'pipe',
  })
  // The bin npm linked, as `npx pareto` would run it.
  cli = join(app, 'node_modules/.bin/pareto')
  dir = app
}, 300_000)

afterAll(() => {
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true })
})

describe.each([
  ['without "type"', undefined],
  ['with "type": "module"', 'module'],
])('the packed package in a fresh folder (%s)', (_name, type) => {
  it('builds and serves the seed page, streaming, and the built-in 404 page from a chunk of its own', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'packed-app', private: true, ...(type ? { type } : {}) }, null, 2),
    )
    execFileSync(process.execPath, [cli, 'build'], { cwd: dir, stdio: 'pipe' })
    const server = await startServer(dir, 'start', { cli })
    try {
      const r = await fetchTimed(server.url + '/')
      expect(r.status).toBe(200)
      expect(arrivalOf(r, '<h1>42<!-- --> items</h1>')).toBeLessThan(arrivalOf(r, '<td>Alpha</td>'))
      expect(r.body).toContain('<div id="chart">3,1,4,1,5</div>')
      const entry = /<script type="module" src="([^"]+)"/.exec(r.body)?.[1]
      expect(entry).toMatch(/^\/assets\/.+\.js$/)
      const js = await fetch(server.url + entry)
      expect(js.status).toBe(200)
      expect(js.headers.get('cache-control')).toContain('immutable')
      // No not-found.tsx here: the built-in 404 page, whose code is a chunk loaded only when it is shown.
      const browser = await launch()
      try {
        const { page, problems } = await openPage(browser)
        const scripts: string[] = []
        page.on('request', (req) => req.resourceType() === 'script' && scripts.push(req.url()))
        await page.goto(server.url + '/')
        await page.waitForLoadState('load')
        expect(scripts.some((u) => /\/builtin-[^/]+\.js$/.test(u))).toBe(false)
        const nf = await page.goto(server.url + '/no/such/page')
        expect(nf?.status()).toBe(404)
        await page.waitForLoadState('load')
        expect(await page.textContent('h1')).toBe('404 — Page not found')
        expect(scripts.some((u) => /\/builtin-[^/]+\.js$/.test(u))).toBe(true)
        // Hydrated: the client took over the built-in page without a mismatch (the 404 response itself aside).
        await page.waitForFunction(() => document.querySelector('main') !== null)
        expect(problems.errors.filter((e) => !/status of 404/.test(e))).toEqual([])
        await page.close()
      } finally {
        await browser.close()
      }
    } finally {
      await server.stop()
    }
  }, 120_000)
})
