import { flushSync } from 'react-dom'

/** What the router knows of a swap when it asks whether to animate it. */
export interface Swap {
  /** The navigation's own choice (`<Link viewTransition>`, `push(href, { viewTransition })`), if it made one. */
  asked: boolean | undefined
  /** Back/forward, and whether the browser already animated it (a swipe gesture: `hasUAVisualTransition`). */
  pop: boolean
  uaAnimated: boolean
  /** The history entries left and reached. */
  from: string
  to: string
}

/**
 * The View Transitions half of the router, a chunk of its own: loaded only by an app that turns them on or a
 * navigation that asks for one. `animate` shows the next page inside `document.startViewTransition`, or at once.
 */
export function createTransitions(config: boolean): (swap: Swap, show: () => void) => void {
  let active: ViewTransition | undefined
  // Entries reached with an animation: going back and forth between them animates too.
  const animated = new Set<string>()
  return (swap, show) => {
    // Whatever happens to this swap, the previous transition does not hang on: it jumps to its end.
    active?.skipTransition()
    active = undefined
    const wanted = swap.pop
      ? !swap.uaAnimated && (config || animated.has(swap.from) || animated.has(swap.to))
      : (swap.asked ?? config)
    if (
      !wanted ||
      typeof document.startViewTransition !== 'function' ||
      matchMedia('(prefers-reduced-motion: reduce)').matches
    )
      return show()
    if (!swap.pop) animated.add(swap.to)
    // The swap renders at once inside the callback: the new page's shell is captured, and its deferred data streams
    // into the live page afterwards rather than holding the animation.
    const transition = document.startViewTransition(() => flushSync(show))
    active = transition
    // Skipped (a newer navigation, a hidden tab) is an outcome, not an error.
    transition.ready.catch(() => {})
    // A callback that threw is reported once, by updateCallbackDone; here only the end matters.
    const done = () => {
      if (active === transition) active = undefined
    }
    transition.finished.then(done, done)
  }
}
