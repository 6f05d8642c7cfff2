// Client JS weight: every script response of a page load in headless
// Chromium (Debian's /usr/bin/chromium; playwright-core never downloads a
// browser here), each body gzipped at level 9, summed; and when a streamed page's elements become visible.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { BENCH, WORK } from './servers.mjs'
import { BROWSER_UA } from './load.mjs'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length

/** Floor: React + ReactDOM client runtime (tiny hydrateRoot entry), minified production. */
export async function floorClientWeight() {
  const out = path.join(WORK, 'floor', 'client.js')
  const { build } = await import('rolldown')
  fs.mkdirSync(path.dirname(out), { recursive: true })
  await build({
    input: path.join(BENCH, 'floor', 'client-entry.mjs'),
    platform: 'browser',
    logLevel: 'silent',
    transform: { define: { 'process.env.NODE_ENV': '"production"' } },
    output: { file: out, format: 'esm', minify: true, codeSplitting: false },
    write: true,
  })
  const buf = fs.readFileSync(out)
  return { scripts: [{ url: '(react + react-dom/client, rolldown minified)', raw: buf.length, gz: gz(buf) }], raw: buf.length, gz: gz(buf) }
}

export function chromiumAvailable() {
  return fs.existsSync(CHROMIUM)
}

let browserPromise = null
async function browser() {
  if (!browserPromise) {
    const { chromium } = await import('playwright-core')
    browserPromise = chromium.launch({
      executablePath: CHROMIUM,
      // A person's Chrome: "HeadlessChrome" is a bot to Pareto, which would send it the finished page instead of the stream.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--user-agent=${BROWSER_UA}`],
      timeout: 30_000,
    })
  }
  return browserPromise
}

export async function closeBrowser() {
  if (!browserPromise) return
  try { await (await browserPromise).close() } catch {}
  browserPromise = null
}

/** Load url, wait for the network to go idle, sum gzipped script bodies. */
export async function pageClientWeight(url, { marker } = {}) {
  const b = await browser()
  const ctx = await b.newContext()
  const page = await ctx.newPage()
  const responses = new Map()
  const errors = []
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script' && !responses.has(r.url())) responses.set(r.url(), r)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    // "Failed to load resource" is reported with its URL below (favicon 404s are ignored)
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    const u = new URL(r.url())
    if (r.status() >= 400 && u.pathname !== '/favicon.ico') errors.push(`HTTP ${r.status()} ${u.pathname}`)
  })
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`))
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 })
    await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {})
    await page.waitForTimeout(500) // late dynamic imports after hydration
    const visible = marker ? await page.evaluate((m) => document.body.innerText.includes(m.replace(/<$/, '')), marker) : null
    const scripts = []
    for (const [u, r] of responses) {
      let body
      try { body = await r.body() } catch (e) { errors.push(`body ${u}: ${e.message}`); continue }
      scripts.push({ url: new URL(u).pathname, status: r.status(), raw: body.length, gz: gz(body) })
    }
    return {
      scripts,
      raw: scripts.reduce((a, s) => a + s.raw, 0),
      gz: scripts.reduce((a, s) => a + s.gz, 0),
      contentVisible: visible,
      errors,
    }
  } finally {
    await ctx.close().catch(() => {})
  }
}

/**
 * Loads url `loads` times in one page and returns, per load and per name in `selectors`, the ms from
 * navigation start until that element was in the DOM and visible (null: not within the timeout), plus page
 * errors. A first, unmeasured load starts the renderer process, which on a busy machine costs more than
 * what is measured. `stub` lists script paths answered with an empty script.
 */
export async function timeVisible(url, selectors, { loads = 1, stub = [], timeoutMs = 10_000 } = {}) {
  const b = await browser()
  const ctx = await b.newContext()
  const page = await ctx.newPage()
  let errors = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    const u = new URL(r.url())
    if (r.status() >= 400 && u.pathname !== '/favicon.ico') errors.push(`HTTP ${r.status()} ${u.pathname}`)
  })
  for (const p of stub) await ctx.route(`**${p}`, (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }))
  // Runs before the document's first byte is parsed: every insertion, the shell's included, is seen.
  await ctx.addInitScript((sels) => {
    const seen = {}
    const check = () => {
      const now = performance.now()
      for (const k in sels) {
        if (seen[k] !== undefined) continue
        const el = document.querySelector(sels[k])
        if (el && el.checkVisibility()) seen[k] = now
      }
    }
    window.__visibleAt = seen
    window.__checkVisible = check
    new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'style', 'class'] })
  }, selectors)
  const names = Object.keys(selectors)
  const once = async () => {
    errors = []
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs })
    // Polled per frame as well: a change of style alone (no mutation) can reveal an element.
    await page
      .waitForFunction((ks) => (window.__checkVisible?.(), ks.every((k) => window.__visibleAt?.[k] !== undefined)), names, { timeout: timeoutMs, polling: 'raf' })
      .catch(() => {})
    await page.waitForLoadState('load', { timeout: timeoutMs }).catch(() => {})
    await page.waitForTimeout(100) // hydration errors come after the content
    const seen = await page.evaluate(() => window.__visibleAt ?? {})
    return { at: Object.fromEntries(names.map((k) => [k, seen[k] ?? null])), errors }
  }
  try {
    const warm = await once()
    const out = []
    for (let i = 0; i < loads; i++) out.push(await once())
    if (out.length) out[0].errors.unshift(...warm.errors)
    return out
  } finally {
    await ctx.close().catch(() => {})
  }
}
