import { Suspense, use } from 'react'
import type { ReactNode } from 'react'
import { renderErrorFallback } from './error-boundary.js'
import { isThenable, markSettled, settledOutcome } from '../shared/thenable.js'
import type { ErrorFallback } from './error-boundary.js'

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

// One settled view per promise, so `use()` sees the same thenable on every render and on hydration. Only
// for an <Await> with errorFallback: the view turns a rejection into a value it can render.
const settledViews = new WeakMap<object, Promise<Settled<unknown>>>()

function settled<T>(promise: PromiseLike<T>): Promise<Settled<T>> {
  let view = settledViews.get(promise)
  if (!view) {
    const known = settledOutcome(promise)
    if (known) {
      // Settled already: so is the view, and use() reads it at once, as it would the promise itself.
      const outcome: Settled<unknown> = known.ok
        ? { ok: true, value: known.outcome }
        : { ok: false, error: known.outcome }
      view = Promise.resolve(outcome)
      markSettled(view, true, outcome)
    } else {
      view = Promise.resolve(promise).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      )
    }
    settledViews.set(promise, view)
  }
  return view as Promise<Settled<T>>
}

/** Props of `<Await>`. */
export interface AwaitProps<T> {
  /** A promise from deferred loader data, or a plain value (rendered at once). */
  resolve: T | PromiseLike<T>
  /** Shown until the promise settles. */
  fallback?: ReactNode
  /** Shown if the promise rejects; without it the rejection goes to the nearest `ParetoErrorBoundary`. */
  errorFallback?: ErrorFallback
  children: (value: T) => ReactNode
}

// `<Await …> {(v) => …} </Await>` written on one line passes the spaces around the function as children too.
function renderFunction<T>(children: AwaitProps<T>['children'] | unknown[]): (value: T) => ReactNode {
  if (typeof children === 'function') return children
  const fn = Array.isArray(children) ? children.find((c) => typeof c === 'function') : undefined
  const others = Array.isArray(children)
    ? children.filter((c) => c !== fn && !(typeof c === 'string' && c.trim() === ''))
    : []
  if (typeof fn !== 'function' || others.length > 0) {
    throw new TypeError(
      '<Await> takes one function as its child: <Await resolve={promise}>{(value) => <View value={value} />}</Await>.',
    )
  }
  return fn as (value: T) => ReactNode
}

function Resolved<T>({ resolve, errorFallback, children: rawChildren }: AwaitProps<T>): ReactNode {
  const children = renderFunction<T>(rawChildren)
  if (!isThenable(resolve)) return children(resolve as T)
  // Without errorFallback a rejection goes to the nearest error boundary, which is what use() does with
  // it: the promise is read as it is, with no settled view (a promise, two closures and a WeakMap entry
  // that would live as long as the promise).
  if (errorFallback === undefined) return children(use(resolve as PromiseLike<T>))
  const outcome = use(settled(resolve as PromiseLike<T>))
  if (outcome.ok) return children(outcome.value)
  return renderErrorFallback(errorFallback, outcome.error)
}

/** Renders deferred data: its own Suspense boundary showing `fallback` until `resolve` settles, then `children(value)`. */
export function Await<T>(props: AwaitProps<T>): ReactNode {
  return (
    <Suspense fallback={props.fallback ?? null}>
      <Resolved {...props} />
    </Suspense>
  )
}
