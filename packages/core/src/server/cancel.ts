import type { PlatformResponse as ServerResponse } from './platform.js'
import { armDeadline, Deadline, disarmDeadline } from './deadlines.js'
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

/** On a response's close: aborts `cancel` if the client went away before the response finished, and says so. */
export function abortIfClientGone(res: ServerResponse, cancel: RequestCancel): boolean {
  if (res.writableFinished) return false
  cancel.abort(new RequestEnded('client disconnected'))
  return true
}

/**
 * Aborts `cancel` when the client goes away before the response has finished (`then` runs on any close).
 * Returns the function that stops watching.
 */
export function abortOnClientGone(res: ServerResponse, cancel: RequestCancel, then?: () => void): () => void {
  const onClose = () => {
    abortIfClientGone(res, cancel)
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

/** One armed stream timeout: a single object per response (it is its own deadline entry). */
export class StreamTimeout extends Deadline {
  private late: NodeJS.Timeout | undefined
  constructor(
    private readonly cancel: RequestCancel,
    private onLate: (() => void) | undefined,
  ) {
    super()
  }

  onDeadline(ms: number): void {
    this.cancel.abort(new StreamTimeoutError(ms))
    if (this.onLate) this.late = setTimeout(this.onLate, 1000)
  }

  /** Call when the response closes: the timeout and its grace second are both off. */
  disarm(): void {
    disarmDeadline(this)
    this.onLate = undefined
    if (this.late) clearTimeout(this.late)
  }
}

/**
 * Arms the stream timeout: after `ms` every deferred promise rejects with a StreamTimeoutError, and
 * `onLate` runs a second later for anything else still pending (a component's own promise).
 */
export function armStreamTimeout(cancel: RequestCancel, ms: number, onLate?: () => void): StreamTimeout {
  const timeout = new StreamTimeout(cancel, onLate)
  armDeadline(timeout, ms)
  return timeout
}
