import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { openPage } from '../helpers/browser.js'
import { useServerAndBrowser } from '../helpers/setup.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

const ADDED = join(FIXTURE, 'app/dev-added')
const env = useServerAndBrowser(FIXTURE, 'dev', {
  before: () => rmSync(ADDED, { recursive: true, force: true }),
  after: () => rmSync(ADDED, { recursive: true, force: true }),
})

describe('pareto dev', () => {
  it('renders and streams the seed page from source', async () => {
    const r = await fetchTimed(env.server.url + '/')
    expect(r.status).toBe(200)
    expect(arrivalOf(r, '<h1>42<!-- --> items</h1>')).toBeLessThan(arrivalOf(r, '<td>Alpha</td>'))
    expect(r.body).toContain('/@vite/client')
  })

  it('hydrates in the browser without console errors', async () => {
    const { page, problems } = await openPage(env.browser)
    await page.goto(env.server.url + '/')
    await page.waitForSelector('#chart')
    await page.click('#counter')
    await page.waitForSelector('#counter:has-text("clicked 1")')
    expect(problems.errors).toEqual([])
    await page.close()
  })

  it('shows the real error message in development', async () => {
    const { page } = await openPage(env.browser)
    await page.goto(env.server.url + '/stream-error')
    await page.waitForSelector('#broken-fallback')
    expect(await page.textContent('#broken-fallback')).toContain('database password is hunter2')
    const boom = await request(env.server.url + '/boom')
    expect(boom.status).toBe(500)
    expect(boom.body).toContain('secret connection string')
    expect(boom.body).toMatch(/boom[\\/]page\.tsx/)
    expect(env.server.output()).toContain('secret connection string')
    await page.close()
  })

  it("merges the app's vite.config.ts", async () => {
    expect((await request(env.server.url + '/vite-config')).body).toContain('<p id="flag">from vite.config.ts</p>')
  })

  it('picks up a new route file without a restart, and forgets a removed one', async () => {
    expect((await request(env.server.url + '/dev-added')).status).toBe(404)
    mkdirSync(ADDED, { recursive: true })
    writeFileSync(
      join(ADDED, 'page.tsx'),
      'export default function Added() { return <h1 id="added">added at runtime</h1> }\n',
    )
    let body = ''
    for (let i = 0; i < 50 && !body.includes('added at runtime'); i++) {
      await new Promise((r) => setTimeout(r, 100))
      body = (await request(env.server.url + '/dev-added')).body
    }
    expect(body).toContain('added at runtime')
    rmSync(ADDED, { recursive: true, force: true })
    let status = 200
    for (let i = 0; i < 50 && status !== 404; i++) {
      await new Promise((r) => setTimeout(r, 100))
      status = (await request(env.server.url + '/dev-added')).status
    }
    expect(status).toBe(404)
  })
})
