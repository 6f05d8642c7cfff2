import http from 'node:http'
import net from 'node:net'
import zlib from 'node:zlib'

/** One piece of a response body as the client saw it, with when it arrived (ms after the request was sent). */
export interface TimedChunk {
  t: number
  text: string
}

/** A 1xx response before the final one (such as 103 Early Hints): read past, as HTTP clients do, and kept here. */
export interface Informational {
  status: number
  headers: http.IncomingHttpHeaders
}

/** A raw response: status, headers, body chunks with arrival times (decompressed as they arrive), end time. */
export interface TimedResponse {
  status: number
  headers: http.IncomingHttpHeaders
  /** The 1xx responses that came before this one, in order. */
  informational: Informational[]
  chunks: TimedChunk[]
  body: string
  end: number
}

/**
 * GETs a URL with plain `http` (on `agent`, or the global agent), timestamping every decoded chunk, so tests can
 * assert what arrived when.
 */
export function fetchTimed(
  url: string,
  headers: Record<string, string> = {},
  agent?: http.Agent,
): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const informational: Informational[] = []
    const req = http.get(url, { headers, agent }, (res) => {
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
          informational,
          chunks,
          body: chunks.map((c) => c.text).join(''),
          end: performance.now() - t0,
        }),
      )
      source.on('error', reject)
    })
    req.on('information', (info) => informational.push({ status: info.statusCode, headers: info.headers }))
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

/** A request with no redirect following, for status and header checks; 1xx responses are read past and kept. */
export function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; informational: Informational[] }> {
  return new Promise((resolve, reject) => {
    const informational: Informational[] = []
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, informational }))
    })
    req.on('information', (info) => informational.push({ status: info.statusCode, headers: info.headers }))
    req.on('error', reject)
    req.end(init.body)
  })
}

/** One response read off the wire by `rawExchange`: 1xx responses come before the final one. */
export interface RawResponse {
  status: number
  /** Names in lower case; a repeated header's values joined with ", ". */
  headers: Record<string, string>
  /** The final response's body, de-chunked; empty for a 1xx. */
  body: string
}

/** Undoes `Transfer-Encoding: chunked`. */
function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = []
  for (let at = 0; ;) {
    const eol = data.indexOf('\r\n', at)
    if (eol < 0) break
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16)
    if (!(size > 0)) break
    parts.push(data.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** Every response in the bytes of one connection whose last request asked to close it. */
function parseResponses(buf: Buffer): RawResponse[] {
  const out: RawResponse[] = []
  for (let at = 0; at < buf.length;) {
    const end = buf.indexOf('\r\n\r\n', at)
    if (end < 0) throw new Error(`an incomplete response head: ${buf.subarray(at).toString('latin1').slice(0, 300)}`)
    const [statusLine, ...lines] = buf.subarray(at, end).toString('latin1').split('\r\n')
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1])
    if (!status) throw new Error(`not a status line: ${statusLine}`)
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const i = line.indexOf(':')
      const name = line.slice(0, i).trim().toLowerCase()
      const value = line.slice(i + 1).trim()
      headers[name] = headers[name] ? `${headers[name]}, ${value}` : value
    }
    at = end + 4
    if (status >= 100 && status < 200) {
      out.push({ status, headers, body: '' })
      continue
    }
    const rest = buf.subarray(at)
    const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest
    out.push({ status, headers, body: body.toString('utf8') })
    break
  }
  return out
}

/**
 * Sends `text` (a whole request that says `Connection: close`) on a fresh TCP connection and resolves with every
 * response the server sent, 1xx ones included, once it closes the connection; rejects after `ms`.
 */
export function rawExchange(url: string, text: string, ms = 10_000): Promise<RawResponse[]> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = net.connect(Number(port), hostname, () => socket.write(text))
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no close after ${ms} ms; got:\n${Buffer.concat(chunks).toString('latin1').slice(0, 500)}`))
    }, ms)
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(parseResponses(Buffer.concat(chunks)))
      } catch (error) {
        reject(error as Error)
      }
    })
  })
}
