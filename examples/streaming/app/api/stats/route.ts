import type { LoaderContext } from '@paretojs/core'
import { getTotals } from '../../../lib/server/queries'

/** GET /api/stats: the dashboard's counts as JSON, straight from the database. */
export function loader({ res }: LoaderContext) {
  res.setHeader('Cache-Control', 'no-store')
  return { ...getTotals(), generatedAt: new Date().toISOString() }
}
