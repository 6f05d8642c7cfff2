// The app's own Express server: its middleware and routes run before Pareto's routing, and whatever it does
// not answer falls through to the pages (pareto dev and pareto start mount it for you).
// Express 5: what `npm install express` gives a new app (it is npm's `latest` since 5.1); Pareto supports 4 too.
import { randomUUID } from 'node:crypto'
import express from 'express'
import type { NextFunction, Request, Response } from 'express'
import { getDb } from './lib/server/db'

// Open the database at start-up (creating and seeding it on the very first one), so no request waits for that.
getDb()

const app = express()
app.disable('x-powered-by')

// A request id on every response (pages included), and one access-log line per request once it has finished.
app.use((req: Request, res: Response, next: NextFunction) => {
  const id = req.get('x-request-id') ?? randomUUID()
  res.setHeader('X-Request-Id', id)
  const started = performance.now()
  res.on('finish', () => {
    if (process.env.EXAMPLE_ACCESS_LOG !== '0')
      console.log(
        `[app] ${req.method} ${req.originalUrl} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms id=${id}`,
      )
  })
  next()
})

// Liveness and readiness for a load balancer: answers from Express, checks the database with a real query.
app.get('/healthz', (_req: Request, res: Response) => {
  const row = getDb().prepare('SELECT count(*) AS orders FROM orders').get() as { orders: number }
  res.set('Cache-Control', 'no-store').json({ ok: true, orders: row.orders, uptime: Math.round(process.uptime()) })
})

export default app
