import type { IncomingMessage } from 'node:http'

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
   * browser fetches them meanwhile. Production only, never to HTTP/1.0 clients. @default true
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
  wholePage?: (req: IncomingMessage, isBot: boolean) => boolean
  /**
   * `pareto build` warns about every page route whose first-load JavaScript is over this many kB (1 kB = 1000
   * bytes) after gzip; `false` or `0` turns the warning off. @default 150
   */
  firstLoadJsWarning?: number | false
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
    earlyHints: config.earlyHints ?? true,
    shellBudget: config.shellBudget ?? 20,
    firstLoadJsWarning: config.firstLoadJsWarning ?? 150,
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
    throw new Error(`${file}: earlyHints must be true or false (false stops the 103 Early Hints responses).`)
  if (typeof out.streamTimeout !== 'number' || !(out.streamTimeout > 0)) {
    throw new Error(`${file}: streamTimeout must be a positive number of milliseconds, e.g. 5000.`)
  }
  const jsWarning = out.firstLoadJsWarning
  if (jsWarning !== false && !(Number.isFinite(jsWarning) && jsWarning >= 0)) {
    throw new Error(
      `${file}: firstLoadJsWarning must be a number of kB of gzipped JavaScript, e.g. 150, or false to turn the warning off.`,
    )
  }
  return out
}
