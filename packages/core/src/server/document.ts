import { renderToPipeableStream } from 'react-dom/server'
import type { ReactElement } from 'react'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { BOOT_GLOBAL, CLICK_RECORDER } from '../wire/global.js'
import type { BootRoute } from '../wire/global.js'
import { scriptSafeJson } from '../wire/escape.js'
import { frameArgs, lineArgs } from '../wire/frame-script.js'
import { WireError } from '../wire/error.js'
import { DEFERRED_DIGEST_PREFIX, RENDER_DIGEST_PREFIX } from '../wire/digest.js'
import { reportError } from '../data/errors.js'
import { RequestEnded } from '../data/deferred.js'
import { armStreamTimeout } from './stream-timeout.js'
import { DocumentWriter } from './stream-writer.js'
import type { Cut } from './cut.js'
import type { EncodedFrames } from '../wire/encode.js'

/** Everything needed to stream one HTML document. */
export interface DocumentOptions {
  req: IncomingMessage
  res: ServerResponse
  element: ReactElement
  boot: BootRoute
  /** Loader data frames from `encodeFrames` (the first is inlined in the shell), or all of them as text. */
  frames: EncodedFrames
  status: number
  bootstrapModules: string[]
  nonce?: string
  /** Aborts when the client leaves or the stream timeout fires; the loader's `signal`. */
  cut: Cut
  streamTimeout: number
  /** Names the request in server logs. */
  where: string
}

/** Thrown when the shell itself failed to render, before any byte was sent; the caller answers with the error page. */
export class ShellError extends Error {
  constructor(readonly original: unknown) {
    super('The document shell failed to render')
  }
}

type ReactCallbacks = {
  onShellReady(): void
  onShellError(error: unknown): void
  onError(error: unknown): string | undefined
}
interface CallbackSlot {
  to: ReactCallbacks | null
}

/**
 * React's options for one render, reaching our callbacks through `slot`. React keeps its request, and
 * with it these functions, until work it scheduled (and any keep-alive timer made while it ran) is done:
 * often after the response. Emptying the slot when the response ends lets the loader data, the element
 * and the response go at once instead of surviving a scavenge and being promoted to the old generation.
 */
function throughSlot(slot: CallbackSlot): ReactCallbacks {
  return {
    onShellReady: () => slot.to?.onShellReady(),
    onShellError: (error) => slot.to?.onShellError(error),
    onError: (error) => slot.to?.onError(error),
  }
}

/**
 * Streams a document: the shell as soon as React has it (with the first data frame inline), each later
 * frame as its promise settles, React's boundaries as they complete, and the end once both are done.
 * Resolves once the shell is sent (or the client left first): the rest streams on its own, so the
 * caller's frames are not held for as long as the data is pending. Rejects with ShellError if nothing
 * could be sent.
 */
export function sendDocument(o: DocumentOptions): Promise<void> {
  const { res, cut } = o
  const nonceAttr = o.nonce ? ` nonce="${o.nonce.replace(/"/g, '&quot;')}"` : ''
  const frameScript = (args: string) => `<script${nonceAttr}>${BOOT_GLOBAL}.f.push(${args})</script>`

  return new Promise<void>((resolve, reject) => {
    // Renders once the first line is known (its push arguments go inline in the shell); `done` when no frame follows.
    const render = (firstArgs: string, done: boolean): DocumentWriter => {
      const frames = done ? (firstArgs ? `${firstArgs},null` : 'null') : firstArgs
      const bootScript = `self.${BOOT_GLOBAL}={r:${scriptSafeJson(o.boot)},f:[${frames}]};${CLICK_RECORDER}`
      let disarm = () => {}
      let settled = false
      const finish = () => {
        if (settled) return
        settled = true
        slot.to = null
        disarm()
        resolve()
      }
      const writer = new DocumentWriter(res, finish, frameScript)
      const onClose = () => {
        if (res.writableFinished) return finish()
        // The client went away: stop rendering and reading data; nothing here is an error worth logging.
        if (!cut.aborted) cut.abort(new RequestEnded('client disconnected'))
        stream.abort(cut.reason)
        // The frames are not cut off: aborting `cut` settles every data promise, so the encoder ends by itself.
        finish()
      }
      res.once('close', onClose)

      const handlers: ReactCallbacks = {
        onShellReady() {
          if (res.destroyed) return
          res.statusCode = o.status
          res.setHeader('content-type', 'text/html; charset=utf-8')
          // Proxies such as nginx would otherwise hold the stream until it ends.
          res.setHeader('x-accel-buffering', 'no')
          if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store')
          // DocumentWriter has the members React's pipe() uses (write, end, flush, on), not a full Writable.
          stream.pipe(writer as unknown as NodeJS.WritableStream)
          writer.started()
          resolve()
        },
        onShellError(error) {
          res.off('close', onClose)
          disarm()
          // Settle the data promises so the encoder ends and nothing waits on them.
          if (!cut.aborted) cut.abort(new RequestEnded('the document shell failed to render'))
          settled = true
          slot.to = null
          reject(new ShellError(error))
        },
        onError(error) {
          if (cut.reason instanceof RequestEnded) return
          // Deferred rejections were logged when they were made public; React's digest must match theirs.
          if (error instanceof WireError) return DEFERRED_DIGEST_PREFIX + error.shape.digest
          return RENDER_DIGEST_PREFIX + reportError(error, `while rendering ${o.where}`)
        },
      }
      const slot: CallbackSlot = { to: handlers }
      const stream = renderToPipeableStream(o.element, {
        bootstrapScriptContent: bootScript,
        bootstrapModules: o.bootstrapModules,
        nonce: o.nonce,
        ...throughSlot(slot),
      })

      // Armed for every document, not only those with deferred data: a component may suspend on a promise
      // of its own. Data promises reject at the timeout; anything else still suspended is cut a second later.
      if (!settled) disarm = armStreamTimeout(cut, o.streamTimeout, () => stream.abort(cut.reason))
      if (done) writer.dataFinished()
      return writer
    }

    if (typeof o.frames === 'string') return void render(frameArgs(o.frames), true)
    let writer: DocumentWriter | null = null
    o.frames.listen(
      (head, body) => {
        // The first line goes inline in the shell (in the JSON forms it holds every plain value); later
        // lines follow in scripts of their own, those ready already in the shell's syscall.
        if (writer) writer.frame(lineArgs(head, body))
        else writer = render(lineArgs(head, body), false)
      },
      (error) => {
        if (error !== undefined) reportError(error, `while encoding the data of ${o.where}`)
        if (!writer) return void render('', true)
        // `null` ends the frames; queued with the last one, it joins its script.
        writer.frame('null')
        writer.dataFinished()
      },
    )
  })
}
