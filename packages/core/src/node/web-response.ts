import type { PlatformResponse as ServerResponse } from '../server/platform.js'

/** Adds values to a response header, keeping the ones set before (several Set-Cookie lines). */
export function appendHeader(res: ServerResponse, name: string, values: string[]): void {
  const prev = res.getHeader(name)
  res.setHeader(name, [...(prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)]), ...values])
}

/**
 * Sends a web `Response` through a Node response as it is: status, headers (each Set-Cookie its own line) and
 * body, streamed; headers already set on `res` (security headers, cookies from `ctx.res.cookie()`) stay.
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  if (res.headersSent) return void res.end()
  res.statusCode = response.status
  if (response.statusText) res.statusMessage = response.statusText
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue
    res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length) {
    const prev = res.getHeader('set-cookie')
    res.setHeader('set-cookie', [
      ...(prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)]),
      ...cookies,
    ])
  }
  if (!response.body) return void res.end()
  const reader = response.body.getReader()
  // The client leaving ends the copy: the Response's source is told through cancel().
  const onClose = () => void reader.cancel().catch(() => {})
  res.once('close', onClose)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done || res.destroyed) break
      res.write(value)
    }
  } finally {
    res.off('close', onClose)
    if (!res.writableEnded) res.end()
  }
}
