import { renderToReadableStream } from 'react-dom/server.edge'
import type { RenderDestination, Renderer } from '../server/renderer.js'

const EMPTY = Symbol('empty')

/** One macrotask: every chunk of one of React's flushes is enqueued in a single task, so they are all read by then. */
const afterTask = (): Promise<typeof EMPTY> => new Promise((resolve) => setTimeout(resolve, 0, EMPTY))

/**
 * Copies React's web stream into the document's destination, calling `flush()` where one of React's flushes ends
 * (no chunk left to read within the task), so data frames go between flushes, never inside a tag.
 */
async function pump(stream: ReadableStream<Uint8Array>, to: RenderDestination): Promise<void> {
  const reader = stream.getReader()
  try {
    let next = reader.read()
    for (;;) {
      let read = await Promise.race([next, afterTask()])
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
    // Aborted (the client left, or the stream timed out): the document has been told already.
  }
}

/** React's web renderer (`renderToReadableStream`) behind the same interface as Node's, for the web layer. */
export const webRenderer: Renderer = (element, options) => {
  const controller = new AbortController()
  let stream: ReadableStream<Uint8Array> | undefined
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
      ready.allReady.then(
        () => options.onAllReady(),
        () => {},
      )
    },
    (error: unknown) => options.onShellError(error),
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
