import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleResource } from '../../packages/core/src/server/resource.js'
import { resolvePage } from '../../packages/core/src/server/resolve.js'
import { PageRequest } from '../../packages/core/src/server/request.js'
import type { PageEnv } from '../../packages/core/src/server/request.js'
import { ensureExpressMembers } from '../../packages/core/src/node/http.js'
import type { RouteEntry } from '../../packages/core/src/routes/types.js'

// %HasFastProperties tells whether an object has a hidden class shared with others of its shape, or a
// dictionary of its own (where each getter closure sits in an old-generation accessor pair).
setFlagsFromString('--allow-natives-syntax')
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean

const seen: Record<string, unknown>[] = []
const loader = (ctx: Record<string, unknown>) => {
  seen.push(ctx)
  return { ok: true }
}
const route = (kind: 'page' | 'resource', file: string): RouteEntry => ({
  id: '/' + kind,
  kind,
  segments: [],
  file,
  layouts: [],
  heads: [],
})
const env = {
  build: { table: { routes: [] }, modules: { 'page.tsx': { loader } }, config: { appDir: 'app' } },
  bootstrapModules: [],
  dev: false,
} as unknown as PageEnv

const server = http.createServer((req, res) => {
  if (req.url === '/resource')
    return void handleResource(req, res, route('resource', 'route.ts'), { loader }, {}, 'app/route.ts', false)
  void Promise.resolve(resolvePage(new PageRequest(env, req, res, route('page', 'page.tsx'), {}))).then(() =>
    res.end('ok'),
  )
})
let base = ''
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
})

describe("a loader's ctx", () => {
  it('has one shape for every request, with signal on the prototype (no getter closure per request)', async () => {
    seen.length = 0
    for (const path of ['/resource', '/resource', '/page', '/page']) expect((await fetch(base + path)).status).toBe(200)
    expect(seen).toHaveLength(4)
    for (const ctx of seen) {
      expect(Object.getOwnPropertyDescriptor(ctx, 'signal')).toBeUndefined()
      expect(hasFastProperties(ctx)).toBe(true)
      expect(ctx.signal).toBeInstanceOf(AbortSignal)
      expect(Object.keys(ctx)).toEqual(['req', 'res', 'params'])
    }
    expect(Object.getPrototypeOf(seen[0])).toBe(Object.getPrototypeOf(seen[2]))
  })

  it('on a plain Node request, the Express members share their getters across requests', () => {
    const make = () => {
      const req = new http.IncomingMessage(null as never)
      req.url = '/x?a=1'
      req.headers = {}
      ensureExpressMembers(req, new http.ServerResponse(req))
      return req
    }
    const a = make()
    const b = make()
    for (const name of ['path', 'query', 'cookies', 'originalUrl']) {
      expect(Object.getOwnPropertyDescriptor(a, name)!.get).toBe(Object.getOwnPropertyDescriptor(b, name)!.get)
    }
    expect((a as unknown as { query: unknown }).query).toEqual({ a: '1' })
    expect((b as unknown as { path: string }).path).toBe('/x')
  })
})
