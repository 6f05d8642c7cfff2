/**
 * Prefix of the digest React sends for a boundary whose deferred data rejected on the server,
 * so the browser can tell that planned outcome from a real hydration failure.
 */
export const DEFERRED_DIGEST_PREFIX = 'pareto-deferred:'
