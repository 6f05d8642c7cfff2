// The floor on the web platform: the floor's pages (floor/server.mjs: same components, document, inline data and
// deferred scripts) rendered with React's web renderer (renderToReadableStream) into a `new Response(stream)`, no
// framework. On Node through @remix-run/node-fetch-server, on Bun through Bun.serve. What React's web renderer and
// the runtime's Request/Response cost before any framework code runs.
//   node fetch/web-floor.mjs --port N      bun fetch/web-floor.mjs --port N
// Needs .work/floor/components.mjs (the floor's components, compiled by floor/server.mjs --build-only).
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createElement as h, Fragment, Suspense, use } from 'react'
import { renderToReadableStream } from 'react-dom/server.edge'

const here = path.dirname(fileURLToPath(import.meta.url))
const C = await import(pathToFileURL(path.join(here, '..', '.work', 'floor', 'components.mjs')).href)
const port = Number(process.argv[process.argv.indexOf('--port') + 1])

const json = (v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
const Document = ({ children, data }) =>
  h('html', null,
    h('head', null, h('meta', { charSet: 'utf-8' }), h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' })),
    h('body', null,
      h('div', { id: 'root' }, h(C.Shell, null, children)),
      data === undefined ? null : h('script', { dangerouslySetInnerHTML: { __html: `window.__DATA__=${json(data)}` } })))
const Deferred = ({ promise, name }) => {
  const items = use(promise)
  return h(Fragment, null,
    h(C.ItemList, { items }),
    h('script', { dangerouslySetInnerHTML: { __html: `(self.__D||(self.__D={}))[${json(name)}]=${json(items)}` } }))
}

const pages = {
  '/static': async () => h(Document, null, h('section', null, h('h1', null, 'Static'), h(C.ItemList, { items: C.STATIC_ITEMS }))),
  '/data': async () => {
    const data = { items: await C.queryItems() }
    return h(Document, { data }, h('section', null, h('h1', null, 'Data'), h(C.ItemList, { items: data.items })))
  },
  '/stream': async () => {
    const items = C.slowItems(200)
    return h(Document, { data: {} },
      h('section', null, h('h1', null, 'Stream'), h(Suspense, { fallback: C.LOADING }, h(Deferred, { promise: items, name: 'items' }))))
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

async function handle(request) {
  const { pathname } = new URL(request.url)
  if (pathname === '/api') return Response.json({ items: C.makeItems(50, 3000) })
  const page = pages[pathname]
  if (!page) return new Response('not found', { status: 404 })
  const stream = await renderToReadableStream(await page(), { bootstrapModules: ['/floor-client.js'], signal: request.signal })
  return new Response(stream, { headers: { 'content-type': 'text/html; charset=utf-8' } })
}

if (globalThis.Bun) {
  globalThis.Bun.serve({ fetch: handle, port, hostname: '127.0.0.1', development: false })
} else {
  const { createServer } = await import('node:http')
  const { createRequestListener } = await import('@remix-run/node-fetch-server')
  createServer(createRequestListener(handle)).listen(port, '127.0.0.1')
}
