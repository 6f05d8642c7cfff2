import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_DIR } from './paths.js'

/** npm flags for installs in tests: the cache first, no audit or funding chatter. */
export const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund']

/**
 * Points the @paretojs scope at a closed port, so an install that tried to resolve @paretojs/core from a
 * registry fails instead of quietly taking the published one (the original's 5.x, or nothing).
 */
export const NO_PARETO_REGISTRY = '--@paretojs:registry=http://127.0.0.1:9/'

/** The version in packages/core/package.json: the one the packed tarball carries and create-pareto pins. */
export const CORE_VERSION = (
  JSON.parse(readFileSync(join(REPO_DIR, 'packages/core/package.json'), 'utf8')) as { version: string }
).version

/**
 * Packs a workspace into `dest` and returns the tarball's path and the files npm put in it. Pass
 * `--ignore-scripts` for @paretojs/core: the global setup checked dist/ is built, and its prepack would
 * delete and rebuild the dist/ that other tests use.
 */
export function packWorkspace(workspace: string, dest: string, extra: string[] = []): { tgz: string; files: string[] } {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest, '-w', workspace, ...extra], {
    cwd: REPO_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const [report] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; files: { path: string }[] }[]
  return { tgz: join(dest, report.filename), files: report.files.map((f) => f.path) }
}

/**
 * Where the app in `appDir` got @paretojs/core, from its package-lock.json and node_modules: `resolved` is a
 * file: path for a packed tarball and a registry URL for a published package.
 */
export function installedCore(appDir: string): { resolved: string; version: string; lockVersion: string } {
  const lock = JSON.parse(readFileSync(join(appDir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string; version?: string }>
  }
  const entry = lock.packages['node_modules/@paretojs/core'] ?? {}
  const installed = JSON.parse(readFileSync(join(appDir, 'node_modules/@paretojs/core/package.json'), 'utf8')) as {
    version: string
  }
  return { resolved: entry.resolved ?? '', version: installed.version, lockVersion: entry.version ?? '' }
}
