import { savedScroll } from './history.js'
import type { Entry, ScrollAction } from './router.js'

/*
 * What follows a client navigation for everyone: the scroll, focus, and the new page's title said aloud. A chunk
 * loaded with the navigation code, since only a navigation needs it.
 */

// Visually hidden, still read by screen readers.
const HIDDEN =
  'position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap'
// Signs that the user is scrolling by themselves: a #hash target that streams in later no longer moves the page.
const USER_INPUT = ['wheel', 'touchstart', 'keydown', 'mousedown']
/** How long a #hash target that is not rendered yet is waited for. */
const HASH_WAIT_MS = 10_000

/**
 * The one polite live region, made when this chunk loads: it is in the document before anything is said in it.
 * First in the body, so the app's elements keep their places among their kind as React re-renders them.
 */
const region = document.createElement('div')
region.id = 'pareto-announcer'
region.setAttribute('aria-live', 'polite')
region.setAttribute('aria-atomic', 'true')
region.style.cssText = HIDDEN
document.body.prepend(region)

/**
 * Where focus was when the page was left: the element, and its place as the nth of its tag under each ancestor
 * (the page is rendered anew, and React's scripts in the body come before or after it).
 */
let focused: { el: Element; at: [tag: string, nth: number][] } | undefined
/** Stops waiting for a #hash target. */
let stopWaiting: (() => void) | undefined

const page = (url: string) => url.split('#')[0]
const path = (url: string) => url.split(/[?#]/)[0]

/** Called as a new entry is published, before it renders: remembers the focused element. */
export function leave(): void {
  stopWaiting?.()
  const el = document.activeElement
  focused = undefined
  if (!el || el === document.body) return
  const at: [string, number][] = []
  for (let n: Element = el; n.parentElement && n !== document.body; n = n.parentElement)
    at.push([n.tagName, ofTag(n.parentElement, n.tagName).indexOf(n)])
  focused = { el, at }
}

/** Runs in the layout effect after an entry renders: scroll, then focus and the announcement if the page changed. */
export function arrive(from: Entry, to: Entry, scroll: ScrollAction): void {
  if (scroll.type === 'top') toHash(scroll.hash)
  else if (scroll.type === 'restore') {
    const at = savedScroll(scroll.key)
    if (at) window.scrollTo(at[0], at[1])
    // An entry with no position kept (made by the browser, or before a reload cleared storage) goes to its #hash.
    else toHash(location.hash)
  }
  // The same page again (a refresh, a submission answered in place, a fetcher's revalidation, a #hash): nothing to say.
  if (page(from.url) === page(to.url)) return
  const title = document.title || document.querySelector('h1')?.textContent || location.pathname
  if (!region.isConnected) document.body.prepend(region)
  region.textContent = title
  if (path(from.url) === path(to.url)) refocus()
  else if (
    !document.activeElement ||
    document.activeElement === document.body ||
    document.activeElement === focused?.el
  )
    // Not an autoFocus element of the new page: reading and Tab start at the top of the document.
    focusBody()
}

/** Scrolls to the element a #hash names, once it is rendered (deferred data may bring it); to the top until then. */
function toHash(hash: string): void {
  let id = hash.slice(1)
  try {
    id = decodeURIComponent(id)
  } catch {
    // A malformed escape (`#%E0`) names the element as written.
  }
  const el = id ? document.getElementById(id) : null
  if (el) return el.scrollIntoView()
  window.scrollTo(0, 0)
  if (!id) return
  const observer = new MutationObserver(() => {
    const found = document.getElementById(id)
    if (found) {
      stop()
      found.scrollIntoView()
    }
  })
  const stop = () => {
    observer.disconnect()
    clearTimeout(timer)
    for (const type of USER_INPUT) removeEventListener(type, stop, true)
    stopWaiting = undefined
  }
  const timer = setTimeout(stop, HASH_WAIT_MS)
  for (const type of USER_INPUT) addEventListener(type, stop, true)
  observer.observe(document.body, { childList: true, subtree: true })
  stopWaiting = stop
}

/** A navigation that changed only the query keeps focus: on the same element, or the one in its place if it was rendered anew. */
function refocus(): void {
  if (!focused || document.activeElement === focused.el) return
  let n: Element | undefined = document.body
  for (let i = focused.at.length - 1; n && i >= 0; i--) n = ofTag(n, focused.at[i][0])[focused.at[i][1]]
  if (!n) return
  ;(n as HTMLElement).focus({ preventScroll: true })
  const was = focused.el as HTMLInputElement
  // A text field keeps its caret too.
  if (typeof was.selectionStart === 'number')
    try {
      ;(n as HTMLInputElement).setSelectionRange(was.selectionStart, was.selectionEnd)
    } catch {
      // Not every input type has a selection.
    }
}

const ofTag = (parent: Element, tag: string): Element[] => [...parent.children].filter((c) => c.tagName === tag)

/** Moves focus to the document itself, without scrolling: where a page load leaves it. */
function focusBody(): void {
  const body = document.body
  const tabIndex = body.getAttribute('tabindex')
  body.tabIndex = -1
  body.focus({ preventScroll: true })
  if (tabIndex === null) body.removeAttribute('tabindex')
  else body.setAttribute('tabindex', tabIndex)
}
