import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { freePort } from '../helpers/process.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { request } from '../helpers/wire.js'

// The original Pareto's documented API, where it differs from what we had: each case here is code written for it.

describe('redirect() and notFound() called bare (no throw, no return)', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer(FIXTURE, 'start')
  })
  afterAll(() => server?.stop())

  it('a page loader that calls redirect() answers 302 with Location; the code after it does not run', async () => {
    const r = await request(server.url + '/bare-redirect')
    expect(r.status).toBe(302)
    expect(r.headers.location).toBe('/blog/from-bare-redirect')
    // With a session the condition is false, so the same loader returns its data.
    const signedIn = await request(server.url + '/bare-redirect', { headers: { cookie: 'session=ada' } })
    expect(signedIn.status).toBe(200)
    expect(signedIn.body).toMatch(/id="bare-redirect">signed in as (<!-- -->)?ada</)
  })

  it('a page loader that calls notFound() answers 404 with not-found.tsx', async () => {
    const r = await request(server.url + '/bare-not-found?id=other')
    expect(r.status).toBe(404)
    expect(r.body).toContain('<h1 id="not-found">Nothing here</h1>')
    expect(r.body).not.toContain('id="bare-not-found"')
    const found = await request(server.url + '/bare-not-found?id=known')
    expect(found.status).toBe(200)
    expect(found.body).toMatch(/id="bare-not-found">found (<!-- -->)?known</)
  })

  it('a client navigation to the page gets the redirect too', async () => {
    const r = await request(server.url + '/__pareto/data/bare-redirect')
    expect(r.status).toBe(200)
    expect(r.body).toContain('"/blog/from-bare-redirect"')
  })

  it('a resource route: bare notFound() in the loader is a 404, bare redirect() in the action its status and Location', async () => {
    const missing = await request(server.url + '/api/bare-signals?id=other')
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({ error: 'Not Found' })
    const found = await request(server.url + '/api/bare-signals?id=known')
    expect(found.status).toBe(200)
    expect(JSON.parse(found.body)).toEqual({ id: 'known' })
    const posted = await request(server.url + '/api/bare-signals', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(posted.status).toBe(303)
    expect(posted.headers.location).toBe('/bare-redirect')
  })
})

describe('startProductionServer(outDir, appFile), the original Pareto form', () => {
  let dir: string
  let server: RunningServer
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-app-file-'))
    const appFile = join(dir, 'custom-app.mjs')
    writeFileSync(
      appFile,
      [
        'export default function app(req, res, next) {',
        "  if (req.url === '/from-app-file') {",
        "    res.setHeader('content-type', 'text/plain')",
        "    res.end('answered by the app file')",
        '    return',
        '  }',
        '  next()',
        '}',
        '',
      ].join('\n'),
    )
    // A server script as a user of the original writes it: the second argument is the app file's path.
    const script = join(dir, 'server.mjs')
    const node = pathToFileURL(resolve(REPO_DIR, 'packages/core/dist/node.js')).href
    writeFileSync(
      script,
      [
        `import { startProductionServer } from ${JSON.stringify(node)}`,
        `const server = await startProductionServer(${JSON.stringify(join(FIXTURE, '.pareto'))}, ${JSON.stringify(appFile)})`,
        'console.log(`listening on http://127.0.0.1:${server.address().port}`)',
        '',
      ].join('\n'),
    )
    server = await startServer(FIXTURE, 'start', {
      cli: script,
      env: { NODE_ENV: 'production', PORT: String(await freePort()) },
    })
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("runs the app file's routes before Pareto's, and Pareto's pages still answer", async () => {
    const own = await request(server.url + '/from-app-file')
    expect(own.status).toBe(200)
    expect(own.body).toBe('answered by the app file')
    const page = await request(server.url + '/bare-not-found?id=known')
    expect(page.status).toBe(200)
    expect(page.body).toMatch(/id="bare-not-found">found (<!-- -->)?known</)
  })

  it("takes the place of the build's app.ts (its /app-health route is gone)", async () => {
    const r = await request(server.url + '/app-health')
    expect(r.status).toBe(404)
  })
})
