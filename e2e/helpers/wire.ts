import http from 'node:http'
import zlib from 'node:zlib'

/** One piece of a response body as the client saw it, with when it arrived (ms after the request was sent). */
export interface TimedChunk {
  t: number
  text: string
}

/** A raw response: status, headers, body chunks with arrival times (decompressed as they arrive), end time. */
export interface TimedResponse {
  status: number
  headers: http.IncomingHttpHeaders
  chunks: TimedChunk[]
  body: string
  end: number
}

/** GETs a URL with plain `http`, timestamping every decoded chunk, so tests can assert what arrived when. */
export function fetchTimed(url: string, headers: Record<string, string> = {}): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = http.get(url, { headers }, (res) => {
      const chunks: TimedChunk[] = []
      const enc = res.headers['content-encoding']
      const decoder =
        enc === 'gzip'
          ? zlib.createGunzip()
          : enc === 'br'
            ? zlib.createBrotliDecompress()
            : enc === 'deflate'
              ? zlib.createInflate()
              : null
      const source = decoder ? res.pipe(decoder) : res
      source.on('data', (d: Buffer) => chunks.push({ t: performance.now() - t0, text: d.toString('utf8') }))
      source.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          chunks,
          body: chunks.map((c) => c.text).join(''),
          end: performance.now() - t0,
        }),
      )
      source.on('error', reject)
    })
    req.on('error', reject)
  })
}

/** When the first chunk containing `needle` arrived, or throws naming what was missing. */
export function arrivalOf(r: TimedResponse, needle: string | RegExp): number {
  let seen = ''
  for (const c of r.chunks) {
    seen += c.text
    if (typeof needle === 'string' ? seen.includes(needle) : needle.test(seen)) return c.t
  }
  throw new Error(`${String(needle)} never arrived; body was:\n${r.body.slice(0, 3000)}`)
}

/** A request with no redirect following, for status and header checks. */
export function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}
