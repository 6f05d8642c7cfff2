import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteEntry } from '../src/routes/types.js'
import type { RouteModule } from '../src/server/build-types.js'
import { handleResource } from '../src/server/resource.js'

const route: RouteEntry = {
  id: '/api/time',
  kind: 'resource',
  segments: [
    { type: 'static', value: 'api' },
    { type: 'static', value: 'time' },
  ],
  file: 'api/time/route.ts',
  layouts: [],
  heads: [],
}

/** A server answering every request with one route file's module, as the handler would after matching it. */
async function serve(mod: RouteModule) {
  const server = createServer(
    (req, res) => void handleResource(req, res, route, mod, {}, 'app/api/time/route.ts', false),
  )
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/time`,
    close: () => new Promise((ok) => server.close(ok)),
  }
}

describe('a resource route asked with a method it lacks', () => {
  let loaderOnly: Awaited<ReturnType<typeof serve>>
  let actionOnly: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    loaderOnly = await serve({ loader: () => ({ now: 1 }) })
    actionOnly = await serve({ action: () => ({ ok: true }) })
  })
  afterAll(async () => {
    await Promise.all([loaderOnly.close(), actionOnly.close()])
  })

  it('PROPFIND on a route with only a loader: 405, Allow, and a message naming the method and the file', async () => {
    const r = await fetch(loaderOnly.url, { method: 'PROPFIND' })
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    const { error } = (await r.json()) as { error: string }
    expect(error).toBe(
      'PROPFIND is not allowed on /api/time: app/api/time/route.ts answers GET, HEAD, OPTIONS; a loader takes GET and HEAD, an action POST, PUT, PATCH and DELETE.',
    )
    expect(error).not.toContain('has no loader')
  })

  it('POST on a route with only a loader names the missing action export', async () => {
    const r = await fetch(loaderOnly.url, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    expect(((await r.json()) as { error: string }).error).toBe(
      'POST is not allowed on /api/time: app/api/time/route.ts has no action export.',
    )
  })

  it('GET on a route with only an action names the missing loader export', async () => {
    const r = await fetch(actionOnly.url)
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('POST, PUT, PATCH, DELETE, OPTIONS')
    expect(((await r.json()) as { error: string }).error).toBe(
      'GET is not allowed on /api/time: app/api/time/route.ts has no loader export.',
    )
  })

  it('the methods it has still answer', async () => {
    expect(await (await fetch(loaderOnly.url)).json()).toEqual({ now: 1 })
    expect((await fetch(loaderOnly.url, { method: 'OPTIONS' })).headers.get('allow')).toBe('OPTIONS, GET, HEAD')
  })
})
