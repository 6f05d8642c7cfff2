#!/usr/bin/env node
// The "floor": the least a server can do to serve the bench scenarios
// with React SSR. Plain node:http + react-dom/server renderToPipeableStream,
// no framework, no router, no middleware. It renders THE SAME components as
// the Pareto apps (bench/app-src/app/components.tsx, compiled once with
// rolldown into bench/.work/floor/components.mjs before the server listens),
// inside a full HTML document, and ships the data a client would need to
// hydrate (inline JSON script), plus a bootstrap <script type="module">.
//
//   node bench/floor/server.mjs --port 4000     (or PORT=4000)
//
// Routes: /static /data /stream /fastslow /hold /api /seed, /floor-client.js (if built).
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createElement as h, Fragment, Suspense, use } from 'react'
import { renderToPipeableStream } from 'react-dom/server'

const here = path.dirname(fileURLToPath(import.meta.url))
const benchDir = path.resolve(here, '..')
const workDir = path.join(benchDir, '.work', 'floor')
const componentsSrc = path.join(benchDir, 'app-src', 'app', 'components.tsx')
const componentsOut = path.join(workDir, 'components.mjs')
const clientBundle = path.join(workDir, 'client.js')

export async function buildFloorComponents() {
  const srcStat = fs.statSync(componentsSrc)
  if (fs.existsSync(componentsOut) && fs.statSync(componentsOut).mtimeMs >= srcStat.mtimeMs) return componentsOut
  const { build } = await import('rolldown')
  fs.mkdirSync(workDir, { recursive: true })
  await build({
    input: componentsSrc,
    external: [/^react($|\/)/, /^react-dom($|\/)/],
    platform: 'node',
    logLevel: 'silent',
    transform: { jsx: { runtime: 'automatic' } },
    output: { file: componentsOut, format: 'esm' },
    write: true,
  })
  return componentsOut
}

function argPort() {
  const i = process.argv.indexOf('--port')
  if (i > 0) return Number(process.argv[i + 1])
  return Number(process.env.PORT || 4000)
}

// Same escaping any SSR framework needs for inline JSON.
const json = (v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')

async function main() {
  const C = await import(pathToFileURL(await buildFloorComponents()).href)
  const clientJs = fs.existsSync(clientBundle) ? fs.readFileSync(clientBundle) : null

  const Document = ({ children, data }) =>
    h('html', null,
      h('head', null,
        h('meta', { charSet: 'utf-8' }),
        h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' })),
      h('body', null,
        h('div', { id: 'root' }, h(C.Shell, null, children)),
        data === undefined ? null : h('script', { dangerouslySetInnerHTML: { __html: `window.__DATA__=${json(data)}` } })))

  // Deferred section: suspends on the promise, then renders the list plus a
  // minimal inline script carrying the data to the client.
  const Deferred = ({ promise, name }) => {
    const items = use(promise)
    return h(Fragment, null,
      h(C.ItemList, { items }),
      h('script', { dangerouslySetInnerHTML: { __html: `(self.__D||(self.__D={}))[${json(name)}]=${json(items)}` } }))
  }

  const pages = {
    '/static': async () => h(Document, null,
      h('section', null, h('h1', null, 'Static'), h(C.ItemList, { items: C.STATIC_ITEMS }))),
    '/data': async () => {
      const data = { items: await C.queryItems() }
      return h(Document, { data },
        h('section', null, h('h1', null, 'Data'), h(C.ItemList, { items: data.items })))
    },
    '/stream': async () => {
      const items = C.slowItems(200)
      return h(Document, { data: {} },
        h('section', null, h('h1', null, 'Stream'),
          h(Suspense, { fallback: C.LOADING }, h(Deferred, { promise: items, name: 'items' }))))
    },
    '/hold': async () => {
      const items = C.slowItems(2000, 8000)
      return h(Document, { data: {} },
        h('section', null, h('h1', null, 'Hold'),
          h(Suspense, { fallback: C.LOADING }, h(Deferred, { promise: items, name: 'items' }))))
    },
    '/fastslow': async () => {
      const fast = C.slowItems(5, 6000)
      const slow = C.slowItems(200, 7000)
      return h(Document, { data: {} },
        h('section', null, h('h1', null, 'Fast and slow'),
          h(Suspense, { fallback: C.FAST_LOADING }, h(Deferred, { promise: fast, name: 'fast' })),
          h(Suspense, { fallback: C.SLOW_LOADING }, h(Deferred, { promise: slow, name: 'slow' }))))
    },
    '/seed': async () => {
      const heading = { title: 'Seed', count: 100 }
      const first = C.slowItems(100, 4000)
      const second = C.slowItems(300, 5000)
      return h(Document, { data: { heading } },
        h('section', null, h('h1', null, heading.title, ' (', heading.count, ')'),
          h(Suspense, { fallback: C.LOADING }, h(Deferred, { promise: first, name: 'first' })),
          h(Suspense, { fallback: C.LOADING }, h(Deferred, { promise: second, name: 'second' }))))
    },
  }

  const server = http.createServer(async (req, res) => {
    const url = req.url || '/'
    const q = url.indexOf('?')
    const pathname = q === -1 ? url : url.slice(0, q)
    if (pathname === '/api') {
      const body = JSON.stringify({ items: C.makeItems(50, 3000) })
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      res.end(body)
      return
    }
    if (pathname === '/floor-client.js' && clientJs) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': clientJs.length })
      res.end(clientJs)
      return
    }
    const page = pages[pathname]
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
      return
    }
    let element
    try {
      element = await page()
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(err))
      return
    }
    const stream = renderToPipeableStream(element, {
      bootstrapModules: ['/floor-client.js'],
      onShellReady() {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        stream.pipe(res)
      },
      onShellError(err) {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(err))
      },
      onError(err) {
        console.error('[floor]', err)
      },
    })
    res.on('close', () => stream.abort())
  })
  server.keepAliveTimeout = 5000
  const port = argPort()
  server.listen(port, '127.0.0.1', () => {
    console.log(`[floor] listening on http://127.0.0.1:${port}`)
  })
  const shutdown = () => server.close(() => process.exit(0))
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--build-only')) await buildFloorComponents()
  else await main()
}
