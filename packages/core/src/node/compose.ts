import type { PlatformRequest as IncomingMessage, PlatformResponse as ServerResponse } from '../server/platform.js'

type Handler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/** Chains Connect-style middleware; an error passed to `next` ends the response with 500 after logging it. */
export function compose(handlers: Handler[]): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let i = 0
    const next = (err?: unknown): void => {
      if (err) {
        console.error(`[pareto] middleware failed for ${req.method} ${req.url}:`, err)
        if (!res.headersSent) {
          res.statusCode = (err as { status?: number }).status ?? 500
          res.setHeader('content-type', 'text/plain; charset=utf-8')
          res.end(res.statusCode === 500 ? 'Internal Server Error' : String((err as Error).message))
        } else res.destroy()
        return
      }
      const h = handlers[i++]
      if (!h) {
        res.statusCode = 404
        return void res.end('Not Found')
      }
      try {
        h(req, res, next)
      } catch (e) {
        next(e)
      }
    }
    next()
  }
}
