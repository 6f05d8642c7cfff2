import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createElement } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRequestHandler } from '../src/node/request-handler.js'
import type { RouteModule, ServerBuild } from '../src/server/build-types.js'
import { resolveConfig } from '../src/config.js'
import { compareRoutes } from '../src/routes/segments.js'
import type { RouteEntry } from '../src/routes/types.js'
import { defer } from '../src/data/defer.js'
import { useLoaderData } from '../src/render/hooks.js'
import { Await } from '../src/render/await.js'

// The shell budget on the wire, on in-memory builds: what the first chunk holds, and when it comes.

// A browser's user agent: scripts and crawlers get the finished page instead of the stream.
const PERSON = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

function page(name: string, loader: () => unknown): [RouteEntry, RouteModule] {
  const file = `${name}/page.tsx`
  const View = () => {
    const data = useLoaderData<Record<string, unknown>>()
    return createElement(
      'main',
      null,
      createElement('h1', null, name),
      Object.keys(data ?? {}).map((key) =>
        createElement(Await, {
          key,
          resolve: data[key],
          fallback: createElement('i', null, `waiting for ${key}`),
          children: (v: unknown) => createElement('b', null, `${key}=${String(v)}`),
        }),
      ),
    )
  }
  return [
    { id: `/${name}`, kind: 'page', segments: [{ type: 'static', value: name }], file, layouts: [], heads: [] },
    { default: View, loader },
  ]
}

function serve(shellBudget: number): { url: () => string; server: Server } {
  const pages = [
    page('fast', () => defer({ fast: after(5, 'in'), slow: after(400, 'out') })),
    page('plain', () => ({ n: 1 })),
    page('slowonly', () => defer({ slow: after(250, 'late') })),
  ]
  const build: ServerBuild = {
    table: { routes: pages.map(([r]) => r).sort(compareRoutes) },
    modules: Object.fromEntries(pages.map(([r, m]) => [r.file, m])),
    config: resolveConfig({ shellBudget }),
  }
  const server = createServer(createRequestHandler({ build, bootstrapModules: [] }))
  return { server, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** The response's chunks as text, each with when it came (ms after the request). */
async function timed(url: string): Promise<{ first: string; firstAt: number; body: string; chunks: number }> {
  const t0 = performance.now()
  const res = await fetch(url, { headers: { 'user-agent': PERSON } })
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let first = ''
  let firstAt = 0
  let body = ''
  let chunks = 0
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const text = decoder.decode(r.value, { stream: true })
    if (chunks++ === 0) {
      first = text
      firstAt = performance.now() - t0
    }
    body += text
  }
  return { first, firstAt, body, chunks }
}

const withBudget = serve(100)
const without = serve(0)
beforeAll(async () => {
  for (const s of [withBudget, without]) await new Promise<void>((ok) => s.server.listen(0, '127.0.0.1', ok))
})
afterAll(async () => {
  for (const s of [withBudget, without]) await new Promise((ok) => s.server.close(ok))
})

describe('shell budget', () => {
  it('renders a value that settles within the budget in the first chunk, with no fallback sent', async () => {
    const r = await timed(withBudget.url() + '/fast')
    expect(r.first).toContain('<b>fast=in</b>')
    expect(r.body).not.toContain('waiting for fast')
    // The slow value still streams: fallback first, value later.
    expect(r.first).toContain('waiting for slow')
    expect(r.first).not.toContain('slow=')
    expect(r.body).toContain('<b>slow=out</b>')
  })

  it('with shellBudget 0 the fast value streams like any other', async () => {
    const r = await timed(without.url() + '/fast')
    expect(r.first).toContain('waiting for fast')
    expect(r.body).toContain('<b>fast=in</b>')
  })

  it('never holds a page whose loader deferred nothing', async () => {
    const r = await timed(withBudget.url() + '/plain')
    expect(r.first).toContain('</html>')
    expect(r.firstAt).toBeLessThan(80)
  })

  it('a route learns that its value is slower than the budget and stops holding the shell for it', async () => {
    // Not known yet: held for the whole budget twice (two late arrivals in a row), then sent at once.
    const held = [await timed(withBudget.url() + '/slowonly'), await timed(withBudget.url() + '/slowonly')]
    for (const r of held) {
      expect(r.firstAt).toBeGreaterThanOrEqual(95)
      expect(r.first).toContain('waiting for slow')
    }
    const learnt = await timed(withBudget.url() + '/slowonly')
    expect(learnt.firstAt).toBeLessThan(60)
    expect(learnt.first).toContain('waiting for slow')
    expect(learnt.body).toContain('<b>slow=late</b>')
  })

  it('rejects a negative or non-numeric budget naming the option', () => {
    expect(() => resolveConfig({ shellBudget: -1 })).toThrow(/shellBudget must be a number of milliseconds/)
    expect(() => resolveConfig({ shellBudget: '20' as unknown as number })).toThrow(/shellBudget/)
  })
})
