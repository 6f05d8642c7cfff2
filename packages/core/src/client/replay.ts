/** Where a click already did what the browser does for it (follow a link, focus or toggle a control). */
const NATIVE = 'a[href],area[href],label,input,select,textarea,summary,[contenteditable]'

/** True when the browser acted on the click itself, so doing it again would do it twice. */
function handledNatively(target: Element): boolean {
  if (target.closest(NATIVE)) return true
  // A button submits its form (the browser posts it) unless it is type=button or type=reset.
  const button = target.closest('button')
  return !!button && !!button.form && button.type === 'submit'
}

/**
 * Clicks made after the page could be clicked but before React hydrated it reached no handler: React listens
 * only once its root exists, and drops clicks on a root still waiting for its modules. Each is dispatched
 * again, in its own task (so each sees the state the previous one left), on the element it was made on.
 * Clicks the browser itself acted on (links, form controls) or that a script handled are not repeated.
 */
export function replayClicks(clicks: MouseEvent[]): void {
  const queue = clicks.filter((e) => {
    const target = e.target
    return !e.defaultPrevented && target instanceof Element && target.isConnected && !handledNatively(target)
  })
  const next = () => {
    const e = queue.shift()
    if (!e) return
    const target = e.target as Element
    if (target.isConnected) {
      const init: MouseEventInit = {
        bubbles: true,
        cancelable: true,
        composed: true,
        detail: e.detail,
        screenX: e.screenX,
        screenY: e.screenY,
        clientX: e.clientX,
        clientY: e.clientY,
        ctrlKey: e.ctrlKey,
        shiftKey: e.shiftKey,
        altKey: e.altKey,
        metaKey: e.metaKey,
        button: e.button,
        buttons: e.buttons,
      }
      target.dispatchEvent(new MouseEvent('click', init))
    }
    if (queue.length) setTimeout(next)
  }
  if (queue.length) setTimeout(next)
}
