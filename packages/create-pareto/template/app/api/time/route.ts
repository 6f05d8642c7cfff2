import type { LoaderContext } from '@paretojs/core'

/** GET /api/time: the server's clock as JSON. */
export function loader({ res }: LoaderContext) {
  res.setHeader('Cache-Control', 'no-store')
  const now = new Date()
  return { now: now.toISOString(), unixMs: now.getTime() }
}
