import type { ServerResponse } from 'node:http'
import { armDeadline } from './deadlines.js'
import { LazyAbort } from './lazy-abort.js'

/**
 * Everything that stops a request's work, in one place: the client going away, the stream timeout, a
 * navigation superseded by the next (the browser aborts its fetch, which the server sees as the client
 * gone), and a document whose shell failed. Each aborts the request's `RequestCancel`, which is the
 * loader's `ctx.signal` and settles every deferred promise.
 */

/** The rejection a deferred promise gets when it has not settled before the stream timeout. */
export class StreamTimeoutError extends Error {
  override name = 'StreamTimeoutError'
  readonly expose = true
  constructor(ms: number) {
    super(
      `Deferred data did not settle within ${ms} ms, so the stream was closed. Raise streamTimeout in pareto.config.ts or make the promise settle sooner.`,
    )
  }
}

/** Why a request's data was cut without anyone to tell: the client left, or the document failed before its shell. Never logged. */
export class RequestEnded extends Error {
  override name = 'RequestEnded'
}

/** A request's cancellation: aborted once, with the reason, for the loader's signal and the deferred guard. */
export class RequestCancel extends LazyAbort {
  /** The client left or the work was superseded: nothing is logged for this. */
  get ended(): boolean {
    return this.reason instanceof RequestEnded
  }
}

const noop = () => {}

/**
 * Aborts `cancel` when the client goes away before the response has finished (`then` runs on any close).
 * Returns the function that stops watching.
 */
export function abortOnClientGone(res: ServerResponse, cancel: RequestCancel, then?: () => void): () => void {
  const onClose = () => {
    if (!res.writableFinished) cancel.abort(new RequestEnded('client disconnected'))
    then?.()
  }
  if (res.destroyed) {
    onClose()
    return noop
  }
  res.once('close', onClose)
  return () => res.off('close', onClose)
}

/** Ends the data of a document whose shell failed, so the encoder drains and nothing waits on it. */
export function abortShellFailed(cancel: RequestCancel): void {
  cancel.abort(new RequestEnded('the document shell failed to render'))
}

/**
 * Arms the stream timeout: after `ms` every deferred promise rejects with a StreamTimeoutError, and
 * `onLate` runs a second later for anything else still pending (a component's own promise). Returns the
 * function that disarms both; call it when the response closes.
 */
export function armStreamTimeout(cancel: RequestCancel, ms: number, onLate?: () => void): () => void {
  let late: NodeJS.Timeout | undefined
  const disarm = armDeadline(ms, () => {
    cancel.abort(new StreamTimeoutError(ms))
    if (onLate) late = setTimeout(onLate, 1000)
  })
  return () => {
    disarm()
    if (late) clearTimeout(late)
  }
}
