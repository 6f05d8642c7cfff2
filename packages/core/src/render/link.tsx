import { forwardRef } from 'react'
import type { AnchorHTMLAttributes } from 'react'

/** Props of `<Link>`: an anchor's props plus navigation options. */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string
  /** When to load the target route's code: on hover (default), when visible, or never. */
  prefetch?: 'hover' | 'viewport' | 'none'
  /** Replace the current history entry instead of pushing one. */
  replace?: boolean
  /** Scroll to the top after navigating. @default true */
  scroll?: boolean
}

/**
 * A link to a page of the app. It renders a real `<a>`, so it works before hydration and with modified clicks.
 * Client-side navigation (no reload) and prefetching are not built yet: today every click is a document load.
 */
export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link({ prefetch: _p, replace: _r, scroll: _s, ...rest }, ref) {
  return <a ref={ref} {...rest} />
})
