import { flushSync } from 'react-dom'
import type { Snapshot } from './router.js'

/**
 * Shows a published entry, animated or not: `from` is the URL of the page shown, `next` what was published with
 * the entry, `key` the history entry reached, `uaAnimated` whether the browser animated the latest back/forward.
 */
export type Transitions = (
  from: string,
  next: Partial<Snapshot>,
  key: string,
  uaAnimated: boolean,
  show: () => void,
) => void

const page = (url: string) => url.split('#')[0]

/**
 * The View Transitions half of the router, a chunk of its own: loaded only by an app that turns them on or by a
 * navigation that asks for one. A page change runs inside `document.startViewTransition` when it should animate.
 */
export function createTransitions(config: boolean): Transitions {
  let active: ViewTransition | undefined
  /** The history entry shown, and the entries reached with an animation: back/forward between them animates too. */
  let shownKey: string | undefined
  const animated = new Set<string>()
  return (from, next, key, uaAnimated, show) => {
    const left = shownKey
    shownKey = key
    // Only a move to another page animates: not a refresh, a fetcher's revalidation or a submission answered in place.
    if (page(from) === page(next.entry!.url)) return show()
    // The previous transition never hangs on: a newer page change ends it (its page is already in).
    active?.skipTransition()
    active = undefined
    const wanted = next.pop
      ? !uaAnimated && (config || animated.has(key) || (left !== undefined && animated.has(left)))
      : (next.viewTransition ?? config)
    if (
      !wanted ||
      typeof document.startViewTransition !== 'function' ||
      matchMedia('(prefers-reduced-motion: reduce)').matches
    )
      return show()
    if (!next.pop) animated.add(key)
    // The page renders at once inside the callback: its shell is what animates in, and deferred data streams into
    // the live page afterwards instead of holding the animation.
    const transition = document.startViewTransition(() => flushSync(show))
    active = transition
    // Skipped (by a newer navigation, or in a hidden tab) is an outcome, not an error.
    transition.ready.catch(() => {})
    // A callback that threw is reported once, by updateCallbackDone; here only the end matters.
    const done = () => {
      if (active === transition) active = undefined
    }
    transition.finished.then(done, done)
  }
}
