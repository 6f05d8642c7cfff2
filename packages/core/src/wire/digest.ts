/**
 * Prefix of the digest React sends for a boundary whose deferred data rejected on the server,
 * so the browser can tell that planned outcome from a real hydration failure.
 */
export const DEFERRED_DIGEST_PREFIX = 'pareto-deferred:'

/**
 * Prefix of the digest React sends for a boundary whose content threw while rendering on the server (logged
 * there with the same digest); the browser renders that part again and its error boundary shows the error.
 */
export const RENDER_DIGEST_PREFIX = 'pareto-render:'
