import { forwardRef, useCallback, useContext, useEffect, useRef } from 'react'
import type { AnchorHTMLAttributes, MouseEvent, Ref } from 'react'
import { NavigatorContext } from './context.js'

/** Props of `<Link>`: an anchor's props plus navigation options. */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string
  /**
   * When to warm the target: on hover, focus or touch its code and loader data (default; `true` is the same),
   * when visible its code only, or never (`false` is the same). Prefetched data is used only briefly.
   */
  prefetch?: 'hover' | 'viewport' | 'none' | boolean
  /** Replace the current history entry instead of pushing one. */
  replace?: boolean
  /** Scroll to the top (or to the `#hash` target) after navigating. @default true */
  scroll?: boolean
  /**
   * Animate the swap with the browser's View Transitions API (where supported, and not under
   * `prefers-reduced-motion`); `false` opts out when `viewTransitions` is on in pareto.config.ts.
   */
  viewTransition?: boolean
}

/** How long the pointer must rest on a link before its route is prefetched. */
const HOVER_INTENT_MS = 60

/** Whether the browser should handle this click itself (new tab, download, other origin, same-page hash…). */
function leaveToBrowser(e: MouseEvent<HTMLAnchorElement>, href: string, target?: string, download?: unknown): boolean {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return true
  if ((target && target !== '_self') || download !== undefined) return true
  const url = new URL(href, location.href)
  if (url.origin !== location.origin) return true
  // Only the hash changes: the browser scrolls to the anchor without a navigation.
  return url.pathname === location.pathname && url.search === location.search && url.hash !== ''
}

function useMergedRef<T>(outer: Ref<T>, inner: { current: T | null }): (node: T | null) => void {
  return useCallback(
    (node: T | null) => {
      inner.current = node
      if (typeof outer === 'function') outer(node)
      else if (outer) (outer as { current: T | null }).current = node
    },
    [outer, inner],
  )
}

/**
 * A link to a page of the app. It renders a real `<a>`, so it works before hydration, with modified clicks
 * and for crawlers; after hydration a plain click navigates client-side, streaming the next page's data.
 */
// Marked pure so a bundler drops Link from pages that never use it: the client entry imports the package
// index for its side effects, and an unmarked top-level call counts as one.
export const Link = /* @__PURE__ */ forwardRef<HTMLAnchorElement, LinkProps>(function Link(
  {
    href,
    prefetch: prefetchProp = 'hover',
    replace = false,
    scroll = true,
    viewTransition,
    onClick,
    onMouseEnter,
    onMouseLeave,
    onFocus,
    onTouchStart,
    target,
    download,
    ...rest
  },
  ref,
) {
  const prefetch = prefetchProp === true ? 'hover' : prefetchProp === false ? 'none' : prefetchProp
  const nav = useContext(NavigatorContext)
  const node = useRef<HTMLAnchorElement | null>(null)
  const setRef = useMergedRef(ref, node)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    if (prefetch !== 'viewport' || !nav || !node.current || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        nav.prefetch(href)
        observer.disconnect()
      }
    })
    observer.observe(node.current)
    return () => observer.disconnect()
  }, [prefetch, nav, href])

  useEffect(() => () => clearTimeout(timer.current), [])

  // A pointer resting on a link is intent: its data too. A link merely in view gets its code only.
  const warm = prefetch === 'hover' && nav ? () => nav.prefetch(href, { data: true }) : undefined
  return (
    <a
      ref={setRef}
      href={href}
      target={target}
      download={download}
      {...rest}
      onClick={(e) => {
        onClick?.(e)
        if (!nav || leaveToBrowser(e, href, target, download)) return
        e.preventDefault()
        nav.navigate(href, { replace, scroll, viewTransition })
      }}
      onMouseEnter={(e) => {
        onMouseEnter?.(e)
        if (warm) timer.current = setTimeout(warm, HOVER_INTENT_MS)
      }}
      onMouseLeave={(e) => {
        onMouseLeave?.(e)
        clearTimeout(timer.current)
      }}
      onFocus={(e) => {
        onFocus?.(e)
        warm?.()
      }}
      onTouchStart={(e) => {
        onTouchStart?.(e)
        warm?.()
      }}
    />
  )
})
