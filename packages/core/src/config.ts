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
   * Which document requests get the finished page in one response (every deferred value rendered in place,
   * nothing left to stream) instead of the stream. Called with the request and whether its user agent is a
   * known bot or crawler (the `isbot` package). @default (req, isBot) => isBot
   */
  wholePage?: (req: IncomingMessage, isBot: boolean) => boolean
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
  if (typeof out.streamTimeout !== 'number' || !(out.streamTimeout > 0)) {
    throw new Error(`${file}: streamTimeout must be a positive number of milliseconds, e.g. 5000.`)
  }
  return out
}
