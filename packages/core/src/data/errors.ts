import { randomBytes } from 'node:crypto'
import { inspect, stripVTControlCharacters } from 'node:util'
import type { ErrorSource, WireErrorShape } from '../wire/global.js'

const digests = new WeakMap<object, string>()

/** An error shaped for the browser: what is safe to show and the digest that finds it in the server log. */
export type PublicError = WireErrorShape

let locate: ((error: unknown) => ErrorSource | undefined) | undefined

/**
 * @internal Set by `pareto dev` only: finds an error's place in the source (and rewrites its stack to source
 * positions), for the terminal and the dev error page. Production never sets it.
 */
export function setErrorLocator(fn: ((error: unknown) => ErrorSource | undefined) | undefined): void {
  locate = fn
}

/** The generic text production shows in place of an unexposed error message. */
export const GENERIC_MESSAGE = 'An error occurred on the server.'

/** True for errors that opt in to showing their message in production (the http-errors `expose` convention). */
export function isExposed(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { expose?: unknown }).expose === true
}

/** A short id for an error, stable for the same error object, that ties the browser's message to the server's log line. */
export function digestOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return randomBytes(5).toString('hex')
  let d = digests.get(error)
  if (!d) {
    d = randomBytes(5).toString('hex')
    digests.set(error, d)
  }
  return d
}

const logged = new WeakSet<object>()

/** Logs a server error once with its digest and what was happening; returns the digest. */
export function reportError(error: unknown, where: string): string {
  const digest = digestOf(error)
  if (typeof error === 'object' && error !== null) {
    if (logged.has(error)) return digest
    logged.add(error)
  }
  const source = locate?.(error)
  // A stream timeout's stack only shows Pareto's own timer; the message says what to change.
  const detail =
    error instanceof Error
      ? error.name === 'StreamTimeoutError'
        ? error.message
        : (error.stack ?? error.message)
      : // A thrown object is shown with its fields, not as "[object Object]".
        typeof error === 'string'
        ? error
        : inspect(error)
  const at = sourceBlock(source)
  console.error(`[pareto] ${where} (digest: ${digest})\n${at}${detail}`)
  return digest
}

/** An error's place in the source as the terminal shows it: `file:line:column`, the code frame, a blank line. */
export function sourceBlock(source: ErrorSource | undefined): string {
  return source ? `${source.file}:${source.line}:${source.column}\n${source.frame}\n\n` : ''
}

/** What the browser may see of an error: everything in development, a generic message and digest in production. */
export function toPublicError(error: unknown, dev: boolean, where: string): PublicError {
  const digest = reportError(error, where)
  const err = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'Non-error value thrown')
  if (dev) {
    // Parser messages are coloured for a terminal; the browser shows them as plain text.
    const shown: PublicError = { name: err.name, message: stripVTControlCharacters(err.message), digest }
    if (err.stack) shown.stack = stripVTControlCharacters(err.stack)
    const source = locate?.(error)
    if (source) shown.source = source
    return shown
  }
  if (isExposed(error)) return { name: err.name, message: err.message, digest }
  return { name: 'Error', message: GENERIC_MESSAGE, digest }
}

/** Status to answer an error with: the error's own when it opts in with `expose` (http-errors), else 500. */
export function errorStatus(error: unknown): number {
  const e = error as { expose?: boolean; status?: number } | null
  return e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500
}

/** An error whose status and message are safe to send as they are (a bad request body, say). */
export class HttpError extends Error {
  readonly expose = true
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}
