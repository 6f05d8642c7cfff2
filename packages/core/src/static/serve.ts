import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DATA_PREFIX } from '../wire/protocol.js'
import type { StaticAnswer, StaticManifest } from './types.js'

/** A static page may be kept by a CDN or proxy, which asks again (If-None-Match) before each reuse. */
export const STATIC_CACHE_CONTROL = 'public, max-age=0, must-revalidate'

/** Bytes of static files kept in memory per process; past it, files are read from disk for each request. */
const MEMORY_BUDGET = 32 * 1024 * 1024

/** What to send for a request: status and headers, and the body's file (absent for 304, HEAD and empty bodies). */
export interface StaticReply {
  status: number
  headers: [string, string][]
  file?: string
}

/**
 * The decoded path a request asks for (`/blog/héllo` for `/blog/h%C3%A9llo/`), or null when it cannot be a
 * static page's. Paths already in that form, most requests, are returned as they are.
 */
export function pageKey(path: string): string | null {
  if (!path.includes('%') && !path.includes('//') && (path.length === 1 || !path.endsWith('/'))) return path
  const parts = path.split('/').filter(Boolean)
  const decoded: string[] = []
  for (const part of parts) {
    let d: string
    try {
      d = decodeURIComponent(part)
    } catch {
      return null
    }
    // A decoded "/" is inside one segment; no static page's segment holds one.
    if (d.includes('/')) return null
    decoded.push(d)
  }
  return '/' + decoded.join('/')
}

/** Encodings of `accept-encoding` with a quality above zero, e.g. `gzip, br;q=0.5` → gzip and br. */
function accepted(header: string): Set<string> {
  const out = new Set<string>()
  for (const part of header.split(',')) {
    const [name, ...rest] = part.trim().toLowerCase().split(';')
    const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='))
    if (name && (q === undefined || Number(q.slice(2)) > 0)) out.add(name)
  }
  return out
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 asks for GET). */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true
  for (const tag of ifNoneMatch.split(',')) {
    const t = tag.trim()
    if ((t.startsWith('W/') ? t.slice(2) : t) === etag) return true
  }
  return false
}

/**
 * The static pages `pareto build` wrote (`<outDir>/static.json` and `<outDir>/static/`): answers GET and HEAD
 * for a page's document and its navigation data from the files, without running any app code.
 */
export class StaticPages {
  private readonly memory = new Map<string, Buffer>()
  private kept = 0

  private constructor(
    private readonly dir: string,
    private readonly manifest: StaticManifest,
  ) {}

  /** Reads a build's static pages; undefined when it has none. */
  static load(outDir: string): StaticPages | undefined {
    const file = join(outDir, 'static.json')
    if (!existsSync(file)) return undefined
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as StaticManifest
    if (manifest.version !== 1) {
      throw new Error(`${file} was written by another version of Pareto. Run \`pareto build\` again.`)
    }
    // Looked up by request paths: no inherited key such as "constructor" may answer.
    manifest.pages = Object.assign(Object.create(null) as StaticManifest['pages'], manifest.pages)
    return new StaticPages(join(outDir, 'static'), manifest)
  }

  /** The number of static pages. */
  get size(): number {
    return Object.keys(this.manifest.pages).length
  }

  /**
   * The reply for a GET or HEAD of `path` (no query): a static page's document, or its navigation data under
   * the data prefix; undefined when the path is not a static page's, or for any other method.
   */
  reply(
    method: string | undefined,
    path: string,
    acceptEncoding: string | undefined,
    ifNoneMatch: string | undefined,
  ): StaticReply | undefined {
    if (method !== 'GET' && method !== 'HEAD') return undefined
    const data = path === DATA_PREFIX || path.startsWith(DATA_PREFIX + '/')
    const key = pageKey(data ? path.slice(DATA_PREFIX.length) || '/' : path)
    if (key === null) return undefined
    const entry = this.manifest.pages[key]
    if (!entry) return undefined
    return this.replyWith(data ? entry.data : entry.document, method, acceptEncoding, ifNoneMatch)
  }

  private replyWith(
    answer: StaticAnswer,
    method: string,
    acceptEncoding: string | undefined,
    ifNoneMatch: string | undefined,
  ): StaticReply {
    const headers: [string, string][] = Object.entries(answer.headers)
    headers.push(['cache-control', STATIC_CACHE_CONTROL])
    const body = answer.body
    if (!body) {
      headers.push(['content-length', '0'])
      return { status: answer.status, headers }
    }
    let file = body.file
    let etag = body.etag
    let size = body.size
    if (body.encodings.length) {
      headers.push(['vary', 'Accept-Encoding'])
      const wanted = acceptEncoding ? accepted(acceptEncoding) : undefined
      // Smallest first: brotli, then gzip (the build keeps only those smaller than the file).
      const chosen = wanted && body.encodings.find((e) => wanted.has(e.encoding) || wanted.has('*'))
      if (chosen) {
        file = `${body.file}.${chosen.encoding === 'br' ? 'br' : 'gz'}`
        etag = chosen.etag
        size = chosen.size
        headers.push(['content-encoding', chosen.encoding])
      }
    }
    headers.push(['etag', etag])
    // Only a success can be revalidated; a recorded 404 is sent again.
    if (answer.status === 200 && ifNoneMatch && matches(ifNoneMatch, etag)) return { status: 304, headers }
    headers.push(['content-length', String(size)])
    return method === 'HEAD' ? { status: answer.status, headers } : { status: answer.status, headers, file }
  }

  /** A body file's bytes: from memory once read (within a budget), else from disk. */
  read(file: string): Buffer | Promise<Buffer> {
    const held = this.memory.get(file)
    if (held) return held
    return readFile(join(this.dir, file)).then((bytes) => {
      if (this.kept + bytes.length <= MEMORY_BUDGET && !this.memory.has(file)) {
        this.memory.set(file, bytes)
        this.kept += bytes.length
      }
      return bytes
    })
  }
}
