import type { PlatformRequest } from './server/platform.js'

/** Options of `pareto.config.ts`. */
export interface ParetoConfig {
  /** Folder holding the routes, relative to the project root. @default 'app' */
  appDir?: string
  /** Folder the build writes to. @default '.pareto' */
  outDir?: string
  /** Adds invisible text to the shell so iOS WKWebView paints before the stream ends. @default false */
  wkWebViewFlushHint?: boolean
  /** Milliseconds a deferred promise may stay pending before it is rejected and the response ends. @default 5000 */
  streamTimeout?: number
  /**
   * Sends a 103 Early Hints response before a page's loader runs, linking its scripts and stylesheets, so the
   * browser fetches them meanwhile. Production only, never to HTTP/1.0 clients. Opt-in: nginx before 1.29 (what
   * Debian 12 and Ubuntu ship) takes a 103 for the final response and never finishes the page. Turn it on when
   * clients reach the server directly, behind nginx 1.29+ with `early_hints`, or behind a CDN that passes them on.
   * @default false
   */
  earlyHints?: boolean
  /**
   * Milliseconds the shell may wait for deferred values that settle fast: those that settle within it are
   * rendered in the first flush (no fallback sent, none flashed on client navigation); the rest stream. A route
   * learns which of its values are reliably slower and stops waiting for them. `0` turns it off. @default 20
   */
  shellBudget?: number
  /**
   * Which document requests get the finished page in one response (every deferred value rendered in place,
   * nothing left to stream) instead of the stream. Called with the request and whether its user agent is a
   * known bot or crawler (the `isbot` package). @default (req, isBot) => isBot
   */
  wholePage?: (req: PlatformRequest, isBot: boolean) => boolean
  /**
   * `pareto build` warns about every page route whose first-load JavaScript is over this many kB (1 kB = 1000
   * bytes) after gzip; `false` or `0` turns the warning off. @default 150
   */
  firstLoadJsWarning?: number | false
  /**
   * Trust `X-Forwarded-Proto` and `X-Forwarded-Host` for the app's own origin (the one a cross-origin form post
   * is checked against). Only behind a proxy that sets both and strips what clients send. @default false
   */
  trustProxy?: boolean
  /**
   * Origins besides the app's own whose form posts are accepted, each written as an origin:
   * `'https://example.com'` (scheme, host and port only). @default []
   */
  allowedOrigins?: string[]
  /** Largest request body, in bytes, an action or resource route reads; a larger one is answered 413. @default 1048576 */
  bodyLimit?: number
  /** Animates client navigations with the browser's View Transitions API. @default false */
  viewTransitions?: boolean
}

/** Every option `ParetoConfig` has: a key outside this list is reported by `configWarnings`. */
const KNOWN_KEYS: readonly (keyof ParetoConfig)[] = [
  'appDir',
  'outDir',
  'wkWebViewFlushHint',
  'streamTimeout',
  'earlyHints',
  'shellBudget',
  'wholePage',
  'firstLoadJsWarning',
  'trustProxy',
  'allowedOrigins',
  'bodyLimit',
  'viewTransitions',
]

// Options of the original Pareto (5.x back to the Rspack-based 1.x) that are gone, and what to do instead.
const REMOVED_KEYS: Record<string, string> = {
  configureVite: 'put Vite options and plugins in a vite.config.ts next to it; Pareto merges it in dev and build',
  configureServer:
    "export an Express app from an app.ts at the project root instead; it runs before Pareto's routes in dev and start",
  configureRspack: 'Pareto builds with Vite: put plugins and options in a vite.config.ts next to it',
  pageDir: "rename it to appDir (default 'app')",
  distDir: "rename it to outDir (default '.pareto')",
  enableSpa: 'there is no skeleton-only mode; pages render on the server and navigate on the client by themselves',
  enableMonitor: 'there is no built-in monitor; remove it',
}

/**
 * What is wrong but harmless in a config: removed options of the original Pareto (with what replaces each) and
 * unknown keys (with the nearest option, for a typo). Each message names the file; none stops a command.
 */
export function configWarnings(config: object, file = 'pareto.config.ts'): string[] {
  const warnings: string[] = []
  for (const key of Object.keys(config)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) continue
    const removed = Object.hasOwn(REMOVED_KEYS, key) ? REMOVED_KEYS[key] : undefined
    if (removed) {
      warnings.push(`${file}: ${key} is ignored: it was removed from Pareto; ${removed}.`)
      continue
    }
    const near = nearestKey(key)
    warnings.push(
      near
        ? `${file}: unknown option ${key} is ignored. Did you mean ${near}?`
        : `${file}: unknown option ${key} is ignored. The options are: ${KNOWN_KEYS.join(', ')}.`,
    )
  }
  return warnings
}

/** The known option closest to a misspelt one, if it is close enough to be the one meant. */
function nearestKey(key: string): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const known of KNOWN_KEYS) {
    // Case slips (earlyhints) count as nothing; other edits as one each.
    const d = known.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), known.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [known, d]
  }
  // Up to two edits, or a quarter of a long name: "streamTimout", "shellBugdet", "firstLoadJSWarnings".
  return bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined
}

/** Levenshtein distance: insertions, deletions and substitutions, one each (adjacent swaps count two). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]!
}

/** Types the default export of `pareto.config.ts` without an annotation; returns the options unchanged. */
export function defineConfig(config: ParetoConfig): ParetoConfig {
  return config
}

/** The config with every default filled in (`wholePage` stays optional: without it, bots get the whole page). */
export type ResolvedConfig = Required<Omit<ParetoConfig, 'wholePage'>> & Pick<ParetoConfig, 'wholePage'>

/** Fills in defaults and checks types, naming the option at fault. */
export function resolveConfig(config: ParetoConfig = {}, file = 'pareto.config.ts'): ResolvedConfig {
  const out: ResolvedConfig = {
    appDir: config.appDir ?? 'app',
    outDir: config.outDir ?? '.pareto',
    wkWebViewFlushHint: config.wkWebViewFlushHint ?? false,
    streamTimeout: config.streamTimeout ?? 5000,
    earlyHints: config.earlyHints ?? false,
    shellBudget: config.shellBudget ?? 20,
    firstLoadJsWarning: config.firstLoadJsWarning ?? 150,
    trustProxy: config.trustProxy ?? false,
    allowedOrigins: config.allowedOrigins ?? [],
    bodyLimit: config.bodyLimit ?? 1_048_576,
    viewTransitions: config.viewTransitions ?? false,
  }
  if (typeof out.appDir !== 'string' || !out.appDir)
    throw new Error(`${file}: appDir must be a folder name such as 'app'.`)
  if (typeof out.outDir !== 'string' || !out.outDir)
    throw new Error(`${file}: outDir must be a folder name such as '.pareto'.`)
  if (config.wholePage !== undefined) {
    if (typeof config.wholePage !== 'function') {
      throw new Error(
        `${file}: wholePage must be a function (req, isBot) => boolean, e.g. (req, isBot) => isBot || req.headers['x-prerender'] === '1'.`,
      )
    }
    out.wholePage = config.wholePage
  }
  if (typeof out.shellBudget !== 'number' || !(out.shellBudget >= 0) || out.shellBudget === Infinity) {
    throw new Error(`${file}: shellBudget must be a number of milliseconds, e.g. 20 (0 turns the wait off).`)
  }
  if (typeof out.earlyHints !== 'boolean')
    throw new Error(`${file}: earlyHints must be true or false (true sends 103 Early Hints responses).`)
  if (typeof out.streamTimeout !== 'number' || !(out.streamTimeout > 0)) {
    throw new Error(`${file}: streamTimeout must be a positive number of milliseconds, e.g. 5000.`)
  }
  const jsWarning = out.firstLoadJsWarning
  if (jsWarning !== false && !(Number.isFinite(jsWarning) && jsWarning >= 0)) {
    throw new Error(
      `${file}: firstLoadJsWarning must be a number of kB of gzipped JavaScript, e.g. 150, or false to turn the warning off.`,
    )
  }
  for (const key of ['trustProxy', 'viewTransitions'] as const) {
    if (typeof out[key] !== 'boolean') throw new Error(`${file}: ${key} must be true or false.`)
  }
  if (!Array.isArray(out.allowedOrigins)) {
    throw new Error(`${file}: allowedOrigins must be an array of origins, e.g. ['https://example.com'].`)
  }
  for (const origin of out.allowedOrigins) {
    if (!isOrigin(origin)) {
      throw new Error(
        `${file}: allowedOrigins has ${JSON.stringify(origin)}, which is not an origin: write the scheme, host and port only, e.g. 'https://example.com' or 'http://localhost:5173' (no path, no trailing slash).`,
      )
    }
  }
  if (!Number.isSafeInteger(out.bodyLimit) || out.bodyLimit <= 0) {
    throw new Error(`${file}: bodyLimit must be a whole number of bytes above 0, e.g. 1_048_576 (1 MB).`)
  }
  return out
}

/** Whether a string is exactly an origin as browsers send it in `Origin` (`https://example.com:8443`). */
function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}
