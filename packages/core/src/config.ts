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
}

/** The config with every default filled in. */
export type ResolvedConfig = Required<ParetoConfig>

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
  if (typeof out.streamTimeout !== 'number' || !(out.streamTimeout > 0)) {
    throw new Error(`${file}: streamTimeout must be a positive number of milliseconds, e.g. 5000.`)
  }
  return out
}
