#!/usr/bin/env node
// The "floor": the least a server can do to serve the bench scenarios
// with React SSR. Plain node:http + react-dom/server renderToPipeableStream,
// no framework, no router, no middleware. It renders THE SAME components as
// the Pareto apps (bench/app-src/app/components.tsx and mutation/view.tsx,
// compiled once with rolldown into bench/.work/floor/ before the server listens),
// inside a full HTML document, and ships the data a client would need to
// hydrate (inline JSON script), plus a bootstrap <script type="module">.
//
//   node bench/floor/server.mjs --port 4000     (or PORT=4000)
//
// Routes: /static /data /stream /fastslow /hold /api /seed /mutation (GET, and POST as a plain form post),
// POST /__pareto/data/mutation (an enhanced form post), /floor-client.js (if built).
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
// The mutation page's data and markup (apart from components.tsx so the app's shared chunk stays as it was).
const mutationSrc = path.join(benchDir, 'app-src', 'app', 'mutation', 'view.tsx')
const mutationOut = path.join(workDir, 'mutation.mjs')
const SOURCES = [componentsSrc, mutationSrc]
const OUTPUTS = [componentsOut, mutationOut]
const clientBundle = path.join(workDir, 'client.js')

export async function buildFloorComponents() {
  const newest = Math.max(...SOURCES.map((f) => fs.statSync(f).mtimeMs))
  if (OUTPUTS.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= newest)) return componentsOut
  const { build } = await import('rolldown')
  fs.mkdirSync(workDir, { recursive: true })
  await build({
    input: { components: componentsSrc, mutation: mutationSrc },
    external: [/^react($|\/)/, /^react-dom($|\/)/],
    platform: 'node',
    logLevel: 'silent',
    transform: { jsx: { runtime: 'automatic' } },
    output: { dir: workDir, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    write: true,
  })
  return componentsOut
}

function argPort() {
  const i = process.argv.indexOf('--port')
  if (i > 0) return Number(process.argv[i + 1])
  return Number(process.env.PORT || 4000)
}

// The largest form body a post may send (the app's default bodyLimit).
const BODY_LIMIT = 1024 * 1024

// Same escaping any SSR framework needs for inline JSON.
const json = (v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')

async function main() {
  const C = await import(pathToFileURL(await buildFloorComponents()).href)
  const M = await import(pathToFileURL(mutationOut).href)
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

  // The mutation page: what its action writes to, and its page around the loader's data (a plain form post
  // answers with the page rendered again, the action's result in its data).
  const titles = []
  const mutationPage = (data, action) =>
    h(Document, { data: action === undefined ? { data } : { data, action } },
      h(M.MutationView, { data, saved: action?.ok === true }, h('form', { method: 'post' }, h(M.MutationFields))))
  // What the app's router reads after an enhanced form post: the page, its loader data after the write and the
  // action's result, one JSON line (the app sends the same bytes).
  const MUTATION_ROUTE = { kind: 'page', id: '/mutation', params: {}, htmlAttrs: {}, status: 200 }
  const mutationFrames = (data, action) =>
    `J${JSON.stringify({ route: MUTATION_ROUTE, data: { 'mutation/page.tsx': data }, action })}\n`
  const plain = (res, status, text) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(text)
  }
  // A form post: the checks any form endpoint needs (a form body, from this origin: CSRF; bounded in size), the
  // url-encoded body parsed, the write, then `answer` with the action's result and the data read after it.
  const mutate = (req, res, answer) => {
    if (req.headers.origin !== `http://${req.headers.host}`) return plain(res, 403, 'cross-site form post refused')
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return plain(res, 415, 'form body expected')
    let body = ''
    let tooLarge = false
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      if (tooLarge) return
      body += chunk
      if (body.length > BODY_LIMIT) tooLarge = true
    })
    req.on('end', () => {
      if (tooLarge) return plain(res, 413, 'body too large')
      M.recordTitle(titles, new URLSearchParams(body).get('title') ?? '')
      answer({ ok: true }, M.mutationData(titles))
    })
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
    '/mutation': async () => mutationPage(M.mutationData(titles)),
  }

  const sendPage = (res, element) => {
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
    if (req.method === 'POST' && pathname === '/__pareto/data/mutation') {
      return mutate(req, res, (action, data) => {
        const body = mutationFrames(data, action)
        res.writeHead(200, { 'content-type': 'text/x-pareto-frames; charset=utf-8', 'content-length': Buffer.byteLength(body) })
        res.end(body)
      })
    }
    if (req.method === 'POST' && pathname === '/mutation') {
      return mutate(req, res, (action, data) => sendPage(res, mutationPage(data, action)))
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
    sendPage(res, element)
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
