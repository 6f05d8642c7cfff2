import type { Navigator } from '../render/context.js'

/**
 * Navigation by full page loads. Client-side navigation (streamed data, no reload) is not built yet;
 * until it is, push/replace/back keep working, just with a document request each time.
 */
export const documentNavigator: Navigator = {
  isNavigating: false,
  navigate(url, { replace }) {
    if (replace) window.location.replace(url)
    else window.location.assign(url)
  },
  back() {
    window.history.back()
  },
  prefetch() {},
}
