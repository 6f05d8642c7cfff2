// The servers under test: floor, original, ours, ours without the shell budget, and ours with a given V8
// young-generation size (ours-semiN, on request only). Each has
// prepare() (install/build, not timed) and start(port) (spawns `node` DIRECTLY on the server's JS entry, so the pid
// we sample in /proc is the server itself, not an npm/npx wrapper).
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { runCmd, spawnTracked, stopProcess, waitForHttp, exeOf } from './proc.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
export const BENCH = path.resolve(here, '..')
export const ROOT = path.resolve(BENCH, '..')
export const WORK = path.join(BENCH, '.work')
const APP_SRC = path.join(BENCH, 'app-src')
const LOOPBACK = path.join(here, 'loopback.cjs')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'))
const versionIn = (fromDir, pkg) => {
  try {
    const req = createRequire(path.join(fromDir, 'noop.js'))
    return readJson(req.resolve(`${pkg}/package.json`)).version
  } catch { return null }
}
const tail = (s, n = 1500) => (s.length > n ? '…' + s.slice(-n) : s).trim()

/** Copy bench/app-src (app/ + tsconfig.json) into dir, replacing any old copy, without the route folders in `without`. */
function copyAppSource(dir, without = []) {
  fs.rmSync(path.join(dir, 'app'), { recursive: true, force: true })
  const skipped = new Set(without.map((f) => path.join(APP_SRC, 'app', f)))
  fs.cpSync(path.join(APP_SRC, 'app'), path.join(dir, 'app'), { recursive: true, filter: (src) => !skipped.has(src) })
  fs.copyFileSync(path.join(APP_SRC, 'tsconfig.json'), path.join(dir, 'tsconfig.json'))
}

function nodeEnv(port, extra = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    BROWSER: 'none',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    ...extra,
  }
}

/** Common start(): spawn node with the loopback shim, wait for the first answer. */
async function startNode({ name, cwd, entry, args, port, log, nodeArgs = [] }) {
  const t = spawnTracked(process.execPath, [...nodeArgs, '--require', LOOPBACK, entry, ...args], { cwd, env: nodeEnv(port) })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(`${url}/api`, t, 30_000)
  } catch (e) {
    await stopProcess(t)
    throw new Error(`${name} failed to start: ${e.message}\n${tail(t.output())}`)
  }
  const cmdline = exeOf(t.child.pid)
  if (!cmdline[0] || !/node/.test(path.basename(cmdline[0]))) log?.(`warning: ${name} pid ${t.child.pid} is ${cmdline.join(' ')}`)
  return { name, pid: t.child.pid, url, output: t.output, stop: () => stopProcess(t), proc: t }
}

// ---------------------------------------------------------------- floor
export const floor = {
  id: 'floor',
  label: 'floor',
  async prepare() {
    const { buildFloorComponents } = await import('../floor/server.mjs')
    await buildFloorComponents()
    return { available: true, version: `react-dom ${versionIn(BENCH, 'react-dom')} (plain node:http)` }
  },
  start(port, log) {
    return startNode({ name: 'floor', cwd: BENCH, entry: path.join(BENCH, 'floor', 'server.mjs'), args: ['--port', String(port)], port, log })
  },
}

// ---------------------------------------------------------------- anchor (original 5.0.0 from npm)
const ANCHOR_DIR = path.join(WORK, 'anchor')
const ANCHOR_CLI = path.join(ANCHOR_DIR, 'node_modules', '@paretojs', 'core', 'dist', 'cli.mjs')

export const anchor = {
  id: 'anchor',
  label: 'original',
  async prepare(log) {
    fs.mkdirSync(ANCHOR_DIR, { recursive: true })
    const srcPkg = path.join(BENCH, 'anchor', 'package.json')
    const srcLock = path.join(BENCH, 'anchor', 'package-lock.json')
    const hash = crypto.createHash('sha256')
    hash.update(fs.readFileSync(srcPkg))
    if (fs.existsSync(srcLock)) hash.update(fs.readFileSync(srcLock))
    hash.update(process.version)
    const stamp = hash.digest('hex')
    const stampFile = path.join(ANCHOR_DIR, '.install-stamp')
    const installed = fs.existsSync(ANCHOR_CLI) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp
    if (!installed) {
      // Installed OUTSIDE the workspaces: bench/.work/anchor has its own
      // package.json and is not matched by the root "workspaces" globs, so npm
      // treats it as its own project (root lockfile untouched).
      fs.copyFileSync(srcPkg, path.join(ANCHOR_DIR, 'package.json'))
      const hasLock = fs.existsSync(srcLock)
      if (hasLock) fs.copyFileSync(srcLock, path.join(ANCHOR_DIR, 'package-lock.json'))
      log?.(`anchor: ${hasLock ? 'npm ci' : 'npm install'} in ${path.relative(ROOT, ANCHOR_DIR)} …`)
      const r = await runCmd(NPM, [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: ANCHOR_DIR,
        env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', npm_config_workspaces: 'false' },
      }, 300_000)
      if (r.code !== 0) return { available: false, reason: `npm ${hasLock ? 'ci' : 'install'} failed (${r.timedOut ? 'timeout' : 'exit ' + r.code}): ${tail(r.output, 600)}` }
      if (!hasLock && fs.existsSync(path.join(ANCHOR_DIR, 'package-lock.json'))) {
        fs.copyFileSync(path.join(ANCHOR_DIR, 'package-lock.json'), srcLock) // pin for next time
      }
      fs.writeFileSync(stampFile, stamp)
    }
    // The original has no page actions (no Form, useActionData): the mutation page would fail its build.
    copyAppSource(ANCHOR_DIR, ['mutation'])
    log?.('anchor: pareto build …')
    const b = await runCmd(process.execPath, [ANCHOR_CLI, 'build'], { cwd: ANCHOR_DIR, env: { ...process.env, NODE_ENV: 'production' } }, 300_000)
    if (b.code !== 0 || !fs.existsSync(path.join(ANCHOR_DIR, '.pareto', 'index.js'))) {
      // Installed but not building: the bench app itself is at fault (a short run fails on it, unlike a failed install).
      return { available: false, broken: true, reason: `pareto build failed (${b.timedOut ? 'timeout' : 'exit ' + b.code}): ${tail(b.output, 800)}` }
    }
    const v = (p) => versionIn(ANCHOR_DIR, p)
    return { available: true, version: `@paretojs/core ${v('@paretojs/core')} (react ${v('react')}, vite ${v('vite')}, express ${v('express')})` }
  },
  start(port, log) {
    // 5.0.0's `pareto start` reads PORT only (a --port flag is ignored) and
    // listens on all interfaces; lib/loopback.cjs pins it to 127.0.0.1.
    return startNode({ name: 'original', cwd: ANCHOR_DIR, entry: ANCHOR_CLI, args: ['start'], port, log })
  },
}

// ---------------------------------------------------------------- ours (packages/core of this repo)
const CORE_DIR = path.join(ROOT, 'packages', 'core')
const OURS_CLI = path.join(CORE_DIR, 'dist', 'cli', 'index.js')
const CONFIG_NAMES = ['pareto.config.ts', 'pareto.config.mts', 'pareto.config.js', 'pareto.config.mjs']

/**
 * An app copy built with packages/core; `config` (source of a pareto.config.ts) or none for the defaults;
 * `nodeArgs`: flags for the node process the server runs in.
 */
function oursServer({ id, label, dir, config, note, nodeArgs = [] }) {
  return {
    id,
    label,
    optional: true, // unbuilt is reported, not a failure
    async prepare(log) {
      if (!fs.existsSync(OURS_CLI)) {
        return { available: false, reason: `${path.relative(ROOT, OURS_CLI)} not found (framework not built; \`npm run build\` at the repo root builds it)` }
      }
      fs.mkdirSync(dir, { recursive: true })
      // No "type" field, same as the anchor app; depends on the workspace package.
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
        name: `pareto-bench-${id}`,
        private: true,
        dependencies: { '@paretojs/core': 'file:../../../packages/core' },
      }, null, 2) + '\n')
      // node_modules/@paretojs/core -> packages/core (relative symlink). react,
      // react-dom, vite… resolve by walking up to the repo root node_modules.
      const scope = path.join(dir, 'node_modules', '@paretojs')
      fs.mkdirSync(scope, { recursive: true })
      const link = path.join(scope, 'core')
      const target = path.relative(scope, CORE_DIR)
      let ok = false
      try { ok = fs.readlinkSync(link) === target } catch {}
      if (!ok) {
        fs.rmSync(link, { recursive: true, force: true })
        fs.symlinkSync(target, link, 'dir')
      }
      for (const p of ['react', 'react-dom']) {
        if (!versionIn(dir, p)) return { available: false, reason: `${p} is not resolvable from ${path.relative(ROOT, dir)}` }
      }
      copyAppSource(dir)
      // The config is read at build time; a stale one from an earlier run must not leak into the defaults.
      for (const n of CONFIG_NAMES) fs.rmSync(path.join(dir, n), { force: true })
      if (config) fs.writeFileSync(path.join(dir, 'pareto.config.ts'), config)
      log?.(`${id}: pareto build …`)
      const b = await runCmd(process.execPath, [OURS_CLI, 'build'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production' } }, 300_000)
      if (b.code !== 0) return { available: false, reason: `pareto build failed (${b.timedOut ? 'timeout' : 'exit ' + b.code}): ${tail(b.output, 800)}` }
      // git itself, so a worktree (whose .git is a file) is named too; without git, no revision.
      let rev = ''
      try { rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() } catch {}
      const v = (p) => versionIn(dir, p)
      return { available: true, version: `@paretojs/core ${readJson(path.join(CORE_DIR, 'package.json')).version}${rev ? ` @ ${rev.slice(0, 8)}` : ''} (react ${v('react')}, vite ${v('vite')})${note ? `, ${note}` : ''}` }
    },
    start(port, log) {
      return startNode({ name: label, cwd: dir, entry: OURS_CLI, args: ['start', '--port', String(port), '--host', '127.0.0.1'], port, log, nodeArgs })
    },
  }
}

// The default config (no 103 Early Hints: they are opt-in).
export const ours = oursServer({ id: 'ours', label: 'ours', dir: path.join(WORK, 'ours') })

// The same app with the shell budget off: what the budget buys (fastslow) and what it costs under load.
export const oursNoBudget = {
  ...oursServer({
    id: 'ours-nobudget',
    label: 'ours, no budget',
    dir: path.join(WORK, 'ours-nobudget'),
    config: 'export default { shellBudget: 0 }\n',
    note: 'shellBudget: 0',
  }),
  // A variant for one comparison: the fastslow load run and the page timings, no memory soak or client weight.
  scenarios: ['fastslow'],
}

// Ours in a process started with `node --max-semi-space-size=N` (MB): what the young generation the cluster
// workers get (WORKER_SEMI_SPACE_MB in packages/core/src/node/cluster.ts) buys on the latency-bound pages.
// Node 20's default on 64-bit is 16 (measured: v8.getHeapSpaceStatistics() new_space grows to 2 x 16 MB).
export const SEMI_SPACE_ID = /^ours-semi(\d+)$/
export function oursSemiSpace(mb) {
  return {
    ...oursServer({
      id: `ours-semi${mb}`,
      label: `ours, semi-space ${mb} MB`,
      dir: path.join(WORK, `ours-semi${mb}`),
      note: `node --max-semi-space-size=${mb}`,
      nodeArgs: [`--max-semi-space-size=${mb}`],
    }),
    scenarios: ['stream', 'fastslow', 'manystreams'],
  }
}

// Run unless --only says otherwise; a run of all of them (and the default sections) is a full run.
export const DEFAULT = [floor, anchor, ours, oursNoBudget]
// Named in --only: any ours-semiN besides these two.
export const ALL = [...DEFAULT, oursSemiSpace(32), oursSemiSpace(64)]

/** The servers --only names, in ALL's order, then any other ours-semiN; unknown names are returned apart. */
export function selectServers(ids) {
  const picked = ALL.filter((s) => ids.includes(s.id))
  const unknown = []
  for (const id of ids) {
    if (picked.some((s) => s.id === id)) continue
    const m = SEMI_SPACE_ID.exec(id)
    if (m && Number(m[1]) > 0) picked.push(oursSemiSpace(Number(m[1])))
    else unknown.push(id)
  }
  return { picked, unknown }
}
