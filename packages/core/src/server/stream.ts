import type { ReactElement } from 'react'
import { reportError } from '../data/errors.js'
import { DEFERRED_DIGEST_PREFIX, RENDER_DIGEST_PREFIX } from '../wire/digest.js'
import type { EncodedFrames } from '../wire/encode.js'
import { WireError } from '../wire/error.js'
import { scriptSafeJson } from '../wire/escape.js'
import { frameArgs, lineArgs } from '../wire/frame-script.js'
import { BOOT_GLOBAL, CLICK_RECORDER } from '../wire/global.js'
import type { BootRoute } from '../wire/global.js'
import { abortIfClientGone, abortShellFailed, armStreamTimeout } from './cancel.js'
import type { StreamTimeout } from './cancel.js'
import type { PageRequest } from './request.js'
import type { ShellGate } from './shell-budget.js'
import { DocumentWriter } from './stream-writer.js'
import { wantsWholePage } from './whole-page.js'

/** One HTML document to stream: React's element, the boot state and the data frames of a request. */
export interface DocumentStream {
  element: ReactElement
  boot: BootRoute
  /** Loader data frames from `encodeFrames` (the first is inlined in the shell), or all of them as text. */
  frames: EncodedFrames
  status: number
  nonce?: string
  /** Holds the shell for deferred values that come fast (the shell budget). */
  gate?: ShellGate
}

/** Thrown when the shell itself failed to render, before any byte was sent; the caller answers with the error page. */
export class ShellError extends Error {
  constructor(readonly original: unknown) {
    super('The document shell failed to render')
  }
}

type ReactCallbacks = {
  onShellReady(): void
  onAllReady(): void
  onShellError(error: unknown): void
  onError(error: unknown): string | undefined
}

/**
 * React's callbacks for one render, through a slot emptied when the response ends: React keeps its
 * request (and these functions) until its scheduled work is done, often after the response
 * (bench/NOTES.md, "CallbackSlot").
 */
function throughSlot(slot: { to: ReactCallbacks | null }): ReactCallbacks {
  return {
    onShellReady: () => slot.to?.onShellReady(),
    onAllReady: () => slot.to?.onAllReady(),
    onShellError: (error) => slot.to?.onShellError(error),
    onError: (error) => slot.to?.onError(error),
  }
}

/**
 * Streams a document: the shell as soon as React has it (with the first data frame inline), each later
 * frame as its promise settles, React's boundaries as they complete, and the end once both are done.
 * Resolves once the shell is sent (or the client left first), so the caller's frames are not held while
 * data is pending. Rejects with ShellError if nothing could be sent.
 */
export function streamDocument(r: PageRequest, doc: DocumentStream): Promise<void> {
  const { res, cancel } = r
  const whole = wantsWholePage(r.req, r.env.build.config)
  const gate = doc.gate
  const nonceAttr = doc.nonce ? ` nonce="${doc.nonce.replace(/"/g, '&quot;')}"` : ''
  const frameScript = (args: string) => `<script${nonceAttr}>${BOOT_GLOBAL}.f.push(${args})</script>`

  return new Promise<void>((resolve, reject) => {
    // React starts once the first frame is known: its push arguments go inline in the shell's boot script.
    const start = (firstArgs: string, done: boolean): DocumentWriter => {
      const frames = done ? (firstArgs ? `${firstArgs},null` : 'null') : firstArgs
      const bootScript = `self.${BOOT_GLOBAL}={r:${scriptSafeJson(doc.boot)},f:[${frames}]};${CLICK_RECORDER}`
      let timeout: StreamTimeout | undefined
      let settled = false
      const finish = () => {
        if (settled) return
        settled = true
        slot.to = null
        timeout?.disarm()
        resolve()
      }
      const writer = new DocumentWriter(res, finish, frameScript)
      // A client that leaves stops the render; the frames drain by themselves, since every data promise settles.
      const onClose = () => {
        if (abortIfClientGone(res, cancel)) stream.abort(cancel.reason)
        finish()
      }

      const send = () => {
        if (res.destroyed) return
        res.statusCode = doc.status
        res.setHeader('content-type', 'text/html; charset=utf-8')
        // Proxies such as nginx would otherwise hold the stream until it ends.
        res.setHeader('x-accel-buffering', 'no')
        if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store')
        // DocumentWriter has the members React's pipe() uses (write, end, flush, on), not a full Writable.
        stream.pipe(writer)
        writer.started()
        resolve()
      }
      const handlers: ReactCallbacks = {
        // A whole page waits for every boundary; everyone else gets the shell once the budget lets it go.
        onShellReady: () => whole || (gate ? gate.whenOpen(send) : send()),
        // Every boundary is done: nothing is left to wait for.
        onAllReady: () => (whole ? send() : gate?.open()),
        onShellError(error) {
          res.off('close', onClose)
          timeout?.disarm()
          abortShellFailed(cancel)
          settled = true
          slot.to = null
          reject(new ShellError(error))
        },
        onError(error) {
          if (cancel.ended) return
          // Deferred rejections were logged when they were made public; React's digest must match theirs.
          if (error instanceof WireError) return DEFERRED_DIGEST_PREFIX + error.shape.digest
          return RENDER_DIGEST_PREFIX + reportError(error, `while rendering ${r.where}`)
        },
      }
      const slot: { to: ReactCallbacks | null } = { to: handlers }
      const stream = r.env.renderer(doc.element, {
        bootstrapScriptContent: bootScript,
        bootstrapModules: r.env.bootstrapModules,
        nonce: doc.nonce,
        // A whole page, or a shell held for fast values, keeps every finished boundary in place, never moved
        // out of line to be swapped in by script.
        progressiveChunkSize: whole || gate?.holding ? Number.MAX_SAFE_INTEGER : undefined,
        ...throughSlot(slot),
      })
      res.once('close', onClose)
      // Armed for every document: a component may suspend on a promise of its own, cut a second after the data.
      if (!settled)
        timeout = armStreamTimeout(cancel, r.env.build.config.streamTimeout, () => stream.abort(cancel.reason))
      if (done) writer.dataFinished()
      return writer
    }

    if (typeof doc.frames === 'string') return void start(frameArgs(doc.frames), true)
    let writer: DocumentWriter | null = null
    doc.frames.listen(
      (head, body) => {
        // Later lines follow in scripts of their own, those ready already in the shell's syscall.
        if (writer) writer.frame(lineArgs(head, body))
        else writer = start(lineArgs(head, body), false)
      },
      (error) => {
        if (error !== undefined) reportError(error, `while encoding the data of ${r.where}`)
        if (!writer) return void start('', true)
        // `null` ends the frames; queued with the last one, it joins its script.
        writer.frame('null')
        writer.dataFinished()
      },
    )
  })
}
