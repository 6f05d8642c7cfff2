// Ablations of the Fetch handler, to see what its web-stream path costs: the same pipeline as
// `createFetchHandler` (packages/core/src/web/fetch-handler.ts), built from packages/core/dist's own modules, with
// another renderer in place of the web one. Measurement only: `shipped` is what `@paretojs/core/fetch` gives.
//
//   shipped        createFetchHandler itself (React's renderToReadableStream; a 0 ms timer per chunk read)
//   one-timer      the same web renderer, with a timer only when a read has to wait (one per React flush)
//   no-timer       the web renderer flushing after every chunk (no boundary detection: the lower bound)
//   node-renderer  React's renderToPipeableStream behind the same web Request/Response facade
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const VARIANTS = ['shipped', 'one-timer', 'no-timer', 'node-renderer']

/** `(request) => Promise<Response>` for the build in `outDir` (its `server/fetch.js` for `shipped`). */
export async function makeFetch(outDir, variant, coreDir) {
  if (variant === 'shipped') return (await import(pathToFileURL(path.join(outDir, 'server', 'fetch.js')).href)).default.fetch
  if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variant}: one of ${VARIANTS.join(', ')}`)
  const dist = (p) => import(pathToFileURL(path.join(coreDir, 'dist', p)).href)
  await import(pathToFileURL(path.join(outDir, 'server', 'env.js')).href)
  const build = await import(pathToFileURL(path.join(outDir, 'server', 'entry.mjs')).href)
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'client', '.vite', 'manifest.json'), 'utf8'))
  const { createPageHandler } = await dist('server/handler.js')
  const { WebIncoming, WebOutgoing } = await dist('web/facade.js')
  const { SECURITY_HEADERS } = await dist('node/headers.js')
  const { clientFiles } = await dist('web/client-files.js')
  const renderer = variant === 'node-renderer' ? (await dist('node/render.js')).nodeRenderer : await webRenderer(variant)
  const pages = createPageHandler({ build, manifest }, renderer)
  const assets = clientFiles(path.join(outDir, 'client') + '/')
  // As createFetchHandler does, line for line.
  return async (request) => {
    const file = await assets(request)
    if (file) {
      for (const [name, value] of SECURITY_HEADERS) if (!file.headers.has(name)) file.headers.set(name, value)
      return file
    }
    const req = new WebIncoming(request)
    const res = new WebOutgoing(request.method === 'HEAD')
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value)
    request.signal?.addEventListener('abort', () => res.clientGone(), { once: true })
    pages(req, res, (error) => {
      console.error(error)
      if (!res.headersSent) {
        res.statusCode = 500
        res.end('Internal Server Error')
      } else res.destroy()
    })
    return res.response
  }
}

const EMPTY = Symbol('empty')
const afterTask = () => new Promise((resolve) => setTimeout(resolve, 0, EMPTY))

/** The copy loop of packages/core/src/web/render.ts with its boundary detection changed. */
function pumpOf(variant) {
  return async function pump(stream, to) {
    const reader = stream.getReader()
    try {
      let next = reader.read()
      for (;;) {
        let read
        if (variant === 'no-timer') {
          read = await next
          if (read.done) break
          to.write(read.value)
          to.flush()
          next = reader.read()
          continue
        }
        // one-timer: a chunk already queued (the rest of one flush) settles the read at once; wait a task only if not.
        let settled = false
        next.then(() => (settled = true), () => {})
        await null
        read = settled ? await next : await Promise.race([next, afterTask()])
        if (read === EMPTY) {
          to.flush()
          read = await next
        }
        if (read.done) break
        to.write(read.value)
        next = reader.read()
      }
      to.flush()
      to.end()
    } catch {
      // Aborted.
    }
  }
}

async function webRenderer(variant) {
  const { renderToReadableStream } = await import('react-dom/server.edge')
  const pump = pumpOf(variant)
  return (element, options) => {
    const controller = new AbortController()
    let stream
    renderToReadableStream(element, {
      bootstrapScriptContent: options.bootstrapScriptContent,
      bootstrapModules: options.bootstrapModules,
      nonce: options.nonce,
      progressiveChunkSize: options.progressiveChunkSize,
      signal: controller.signal,
      onError: options.onError,
    }).then(
      (ready) => {
        stream = ready
        options.onShellReady()
        ready.allReady.then(() => options.onAllReady(), () => {})
      },
      (error) => options.onShellError(error),
    )
    return {
      pipe(destination) {
        if (stream) void pump(stream, destination)
      },
      abort(reason) {
        controller.abort(reason)
      },
    }
  }
}
