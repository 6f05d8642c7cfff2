import { existsSync } from 'node:fs'
import { execFile } from 'node:child_process'
import cluster from 'node:cluster'
import { fileURLToPath } from 'node:url'
import { basename, join } from 'node:path'
import { configWarnings, resolveConfig } from '../config.js'
import type { ParetoConfig, ResolvedConfig } from '../config.js'

const NAMES = ['pareto.config.ts', 'pareto.config.mts', 'pareto.config.js', 'pareto.config.mjs']

/** The project's `pareto.config.*`, if it has one. */
export function findParetoConfig(root: string): string | undefined {
  const name = NAMES.find((n) => existsSync(join(root, n)))
  return name ? join(root, name) : undefined
}

/**
 * Loads `pareto.config.*` from the project root (TypeScript allowed) and fills in defaults; removed and unknown
 * options are printed as warnings (the command goes on without them), wrong values throw.
 */
export async function loadParetoConfig(
  root: string,
  command: 'build' | 'serve',
  /** How Vite loads the file: 'bundle' (its default) writes a temporary file next to it; 'runner' writes none. */
  loader: 'bundle' | 'runner' = 'bundle',
): Promise<ResolvedConfig> {
  const file = findParetoConfig(root)
  if (!file) return resolveConfig({})
  const { loadConfigFromFile } = await import('vite')
  // Vite's own config loader bundles a TypeScript file and imports it, with or without "type": "module".
  const loaded = await loadConfigFromFile(
    { command, mode: command === 'build' ? 'production' : 'development' },
    file,
    root,
    'silent',
    undefined,
    loader,
  )
  const config = (loaded?.config ?? {}) as ParetoConfig
  const resolved = resolveConfig(config, basename(file))
  for (const warning of configWarnings(config, basename(file))) console.warn(`[pareto] ${warning}`)
  return resolved
}

/**
 * The build folder `pareto start` serves. A TypeScript config needs Vite to load, and Vite left in a server
 * costs ~45 MB of RSS per process for nothing, so it is loaded in a child process that exits after. Its warnings
 * (removed or unknown options) are passed on, once: by the primary, not by every worker.
 */
export async function configuredOutDir(root: string): Promise<string> {
  if (!findParetoConfig(root)) return resolveConfig({}).outDir
  const script = fileURLToPath(new URL('./config-worker.js', import.meta.url))
  return new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [script, root], (error, stdout, stderr) => {
      if (error) return reject(new Error(stderr.trim() || error.message))
      if (stderr && !cluster.isWorker) process.stderr.write(stderr)
      resolve(JSON.parse(stdout) as string)
    }),
  )
}

/** Finds the user's optional `vite.config.*`, merged into Pareto's Vite config in dev and build. */
export function findViteConfig(root: string): string | false {
  for (const n of ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs']) {
    if (existsSync(join(root, n))) return join(root, n)
  }
  return false
}
