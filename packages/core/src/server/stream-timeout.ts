import { StreamTimeoutError } from '../data/deferred.js'

/**
 * Arms the one timer a streaming response owns: after `ms` it aborts `cut` with a StreamTimeoutError
 * (every guarded promise then rejects), and `onLate` runs a second later for anything still pending.
 * Returns the function that clears both timers; call it when the response closes.
 */
export function armStreamTimeout(cut: AbortController, ms: number, onLate?: () => void): () => void {
  let late: NodeJS.Timeout | undefined
  const timer = setTimeout(() => {
    cut.abort(new StreamTimeoutError(ms))
    if (onLate) late = setTimeout(onLate, 1000)
  }, ms)
  return () => {
    clearTimeout(timer)
    clearTimeout(late)
  }
}
