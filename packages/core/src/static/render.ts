import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { format } from 'node:util'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlib, gzip } from 'node:zlib'
import type { ViteManifest } from '../server/assets.js'
import type { ServerBuild } from '../server/build-types.js'
import { createRequestHandler } from '../node/request-handler.js'
import { DATA_PREFIX } from '../wire/protocol.js'
import type { StaticPage } from './plan.js'
import type { StaticAnswer, StaticEntry, StaticManifest } from './types.js'

/** Static pages rendered at once: enough for loaders that wait on I/O, few enough to keep memory flat. */
export const STATIC_CONCURRENCY = 8

/** The static folder (`<outDir>/static`) and manifest (`<outDir>/static.json`) of a build. */
export function staticPaths(outDir: string): { dir: string; manifest: string } {
  return { dir: join(outDir, 'static'), manifest: join(outDir, 'static.json') }
}

/** Headers of a recorded answer that describe one response, not the page: the serving step sets its own. */
const PER_RESPONSE = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'cache-control',
  'etag',
  'last-modified',
  'vary',
  'x-accel-buffering',
])

/** One page's rendering as the handler answered it, or why it cannot be kept. */
interface Recorded {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/** What a page's requests logged; `[pareto]` lines are errors the server reported (a loader threw, data rejected). */
interface Job {
  logs: string[]
}

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

/** A strong validator: 16 bytes of the body's SHA-256, so every instance of a build gives the same ETag. */
function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`
}

/** Where a page's files go, relative to the static folder: `blog/hello/index.html` for `/blog/hello`. */
function folderOf(key: string): string {
  return key === '/' ? '' : key.slice(1) + '/'
}

/** One of a page's answers in the manifest, its body written (with .br and .gz copies) under `dir`. */
async function keep(dir: string, file: string, r: Recorded): Promise<StaticAnswer> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(r.headers)) {
    if (value === undefined || PER_RESPONSE.has(name)) continue
    headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  const answer: StaticAnswer = { status: r.status, headers }
  if (r.body.length === 0) return answer
  const path = join(dir, file)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, r.body)
  answer.body = { file, etag: etagOf(r.body), size: r.body.length, encodings: [] }
  // Compressed once here at the highest levels, so no request pays for it.
  const [br, gz] = await Promise.all([
    brotliAsync(r.body, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: r.body.length },
    }),
    gzipAsync(r.body, { level: 9 }),
  ])
  for (const [encoding, bytes] of [
    ['br', br],
    ['gzip', gz],
  ] as const) {
    if (bytes.length >= r.body.length) continue
    writeFileSync(`${path}.${encoding === 'br' ? 'br' : 'gz'}`, bytes)
    answer.body.encodings.push({ encoding, etag: etagOf(bytes), size: bytes.length })
  }
  return answer
}

/** GETs a path from the in-process server and reads the whole response. */
function get(port: number, agent: http.Agent, path: string, timeoutMs: number): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { accept: 'text/html', 'user-agent': 'pareto-build' } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      },
    )
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no complete answer in ${timeoutMs / 1000} s (a loader that never returns?)`)),
    )
    req.on('error', reject)
  })
}

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** A built static page for the report: its URL, the document's status and its HTML's sizes. */
export interface StaticReportRow {
  path: string
  route: string
  status: number
  location?: string
  html: { raw: number; gzip: number }
}

/**
 * Renders static pages with the app's own request handler, in this process, on a loopback server: each page
 * as a document that waits for all its data (every deferred value rendered in place, no fallback, still
 * hydrating) and as the navigation data the client router reads, both read to their end. Writes them under
 * `<outDir>/static` with `<outDir>/static.json`. A page whose loader (or deferred data, or render) fails,
 * fails the build, naming its file and params.
 */
export async function renderStaticPages(options: {
  outDir: string
  build: ServerBuild
  manifest: ViteManifest
  pages: StaticPage[]
  concurrency?: number
}): Promise<StaticReportRow[]> {
  const { outDir, pages } = options
  const paths = staticPaths(outDir)
  rmSync(paths.dir, { recursive: true, force: true })
  rmSync(paths.manifest, { force: true })
  if (pages.length === 0) return []

  // The build's own settings, but every document waits for all its data, and no 103 precedes it.
  const build: ServerBuild = {
    ...options.build,
    config: { ...options.build.config, wholePage: () => true, earlyHints: false },
  }
  const handler = createRequestHandler({ build, manifest: options.manifest })
  const jobs = new Map<string, Job>()
  const context = new AsyncLocalStorage<Job>()
  const server = http.createServer((req, res) => {
    const job = jobs.get(req.url ?? '')
    if (job) context.run(job, () => handler(req, res))
    else handler(req, res)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 * (options.concurrency ?? STATIC_CONCURRENCY) })
  // What the server logs while rendering a page belongs to that page: it is how a failure is told and shown.
  const consoleError = console.error
  console.error = (...args: unknown[]) => {
    const job = context.getStore()
    if (job) job.logs.push(format(...args))
    else consoleError(...args)
  }
  const timeoutMs = Math.max(60_000, 2 * build.config.streamTimeout)
  const entries: [string, StaticEntry][] = []
  const rows: StaticReportRow[] = []
  const failures: string[] = []
  try {
    await eachLimited(pages, options.concurrency ?? STATIC_CONCURRENCY, async (page) => {
      const job: Job = { logs: [] }
      const dataUrl = DATA_PREFIX + page.url
      jobs.set(page.url, job)
      jobs.set(dataUrl, job)
      const where = `${page.shown}, building ${page.key} with params ${JSON.stringify(page.params)}`
      let doc: Recorded, data: Recorded
      try {
        ;[doc, data] = await Promise.all([get(port, agent, page.url, timeoutMs), get(port, agent, dataUrl, timeoutMs)])
      } catch (error) {
        failures.push(`${where}: ${(error as Error).message}`)
        return
      } finally {
        jobs.delete(page.url)
        jobs.delete(dataUrl)
      }
      const reported = job.logs.filter((l) => l.startsWith('[pareto]'))
      if (doc.status >= 500 || data.status >= 500 || reported.length) {
        const why = doc.status >= 500 ? `the page answered ${doc.status}` : 'the server reported an error'
        failures.push(`${where}: ${why}.\n${(reported.length ? reported : job.logs).join('\n')}`)
        return
      }
      for (const line of job.logs) consoleError(`[pareto] ${page.key}: ${line}`)
      if (doc.headers['set-cookie']) {
        console.warn(
          `[pareto] ${where}: the page sets a cookie, which a static page cannot do (every visitor gets the same file); it is left out.`,
        )
      }
      const folder = folderOf(page.key)
      const document = await keep(paths.dir, `${folder}index${doc.status === 200 ? '' : `.${doc.status}`}.html`, doc)
      delete document.headers['set-cookie']
      const navigation = await keep(paths.dir, `${DATA_PREFIX.slice(1)}/${folder}index.frames`, data)
      delete navigation.headers['set-cookie']
      entries.push([page.key, { route: page.route.id, document, data: navigation }])
      const location = doc.headers.location
      rows.push({
        path: page.key,
        route: page.route.id,
        status: doc.status,
        ...(location ? { location } : {}),
        html: {
          raw: document.body?.size ?? 0,
          gzip: document.body?.encodings.find((e) => e.encoding === 'gzip')?.size ?? document.body?.size ?? 0,
        },
      })
    })
  } finally {
    console.error = consoleError
    agent.destroy()
    server.closeAllConnections()
    await new Promise<void>((ok) => server.close(() => ok()))
  }
  if (failures.length) {
    const shown = failures.slice(0, 5)
    const more = failures.length > shown.length ? `\n…and ${failures.length - shown.length} more.` : ''
    throw new Error(
      `${failures.length} static page${failures.length > 1 ? 's' : ''} failed to build (a static page is rendered once, so an error would be served to everyone). Fix the cause, or leave the params out of staticParams():\n\n${shown.join('\n\n')}${more}`,
    )
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const manifest: StaticManifest = { version: 1, pages: Object.fromEntries(entries) }
  writeFileSync(paths.manifest, JSON.stringify(manifest, null, 1) + '\n')
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return rows
}
