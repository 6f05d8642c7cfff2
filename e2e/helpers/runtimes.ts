import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freePort } from './process.js'
import { REPO_DIR } from './paths.js'
import { startServer } from './server.js'

/** A server under test on one runtime: where it listens, what it printed, and how to stop it. */
export interface RuntimeServer {
  url: string
  port: number
  output: () => string
  /** Resolves with the output once it matches `pattern`, or rejects after `ms`. */
  waitForOutput: (pattern: string | RegExp, ms?: number) => Promise<string>
  /** Ends the server and every process it started, and resolves once its port is free. */
  stop: () => Promise<void>
}

/** The folder scripts/ensure-runtimes.sh fills with its `bun`, `deno` and `wrangler` wrappers. */
export const RUNTIMES_BIN = process.env.PARETO_RUNTIMES_BIN ?? join(REPO_DIR, 'node_modules/.cache/runtimes/bin')

/** The path of an installed runtime's wrapper, or undefined when scripts/ensure-runtimes.sh has not run. */
export function runtimeBinary(name: 'bun' | 'deno' | 'wrangler'): string | undefined {
  const file = join(RUNTIMES_BIN, name)
  return existsSync(file) ? file : undefined
}

/** What `pareto build` writes for Bun and Deno: `<outDir>/server/fetch.js`. */
export function fetchEntry(appDir: string, outDir = '.pareto'): string {
  return join(appDir, outDir, 'server/fetch.js')
}

/** What `pareto build --target cloudflare` writes: the Workers project folder. */
export function cloudflareProject(appDir: string, outDir = '.pareto'): string {
  return join(appDir, outDir, 'cloudflare')
}

// Process groups started here, killed outright if the test process exits without stopping them.
const groups = new Set<number>()
process.once('exit', () => {
  for (const pgid of groups) killGroup(pgid, 'SIGKILL')
})

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // The group is already gone.
  }
}

/** Ids of the live processes in a process group (Linux: the fifth field of /proc/<pid>/stat). */
function groupMembers(pgid: number): number[] {
  const members: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(name))
    } catch {
      // The process ended while the list was read.
    }
  }
  return members
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Whether an HTTP request to the server gets a response head (any status) within 3 s (wrangler's first is slow). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(3000) })
    await res.body?.cancel()
    return true
  } catch {
    return false
  }
}

/**
 * Runs `command args` in a process group of its own (so stop() can end everything it starts, e.g. wrangler's
 * workerd) and resolves once http://127.0.0.1:`port` answers; rejects with the output if it exits first or does
 * not answer within `ms`.
 */
export async function spawnRuntime(
  name: string,
  command: string,
  args: string[],
  opts: { cwd: string; port: number; env?: Record<string, string>; ms?: number },
): Promise<RuntimeServer> {
  const proc: ChildProcess = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, NODE_ENV: 'production', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const pgid = proc.pid!
  groups.add(pgid)
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  let exited = false
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true
      resolve()
    }),
  )
  const url = `http://127.0.0.1:${opts.port}`

  const stop = async () => {
    killGroup(pgid, 'SIGTERM')
    for (const start = Date.now(); groupMembers(pgid).length > 0 && Date.now() - start < 5000;) await sleep(25)
    if (groupMembers(pgid).length > 0) killGroup(pgid, 'SIGKILL')
    for (const start = Date.now(); groupMembers(pgid).length > 0 && Date.now() - start < 5000;) await sleep(25)
    await exit
    groups.delete(pgid)
    for (const start = Date.now(); (await listening(opts.port)) && Date.now() - start < 5000;) await sleep(25)
    if (await listening(opts.port)) throw new Error(`${name}: port ${opts.port} still answers after the stop`)
  }

  const waitForOutput = async (pattern: string | RegExp, ms = 5000) => {
    const seen = () => (typeof pattern === 'string' ? out.includes(pattern) : pattern.test(out))
    for (const start = Date.now(); !seen() && Date.now() - start < ms;) await sleep(25)
    if (!seen()) throw new Error(`${name}: output never matched ${String(pattern)} in ${ms} ms:\n${out}`)
    return out
  }

  const ms = opts.ms ?? 60_000
  for (const start = Date.now(); !(await answers(url)); await sleep(100)) {
    if (exited) {
      await stop()
      throw new Error(`${name} exited before answering on ${url}: ${command} ${args.join(' ')}\n${out}`)
    }
    if (Date.now() - start > ms) {
      await stop()
      throw new Error(`${name} did not answer on ${url} within ${ms} ms: ${command} ${args.join(' ')}\n${out}`)
    }
  }
  return { url, port: opts.port, output: () => out, waitForOutput, stop }
}

/** `pareto start` in `appDir`, the Node-native server. */
export async function startParetoStart(appDir: string): Promise<RuntimeServer> {
  const s = await startServer(appDir, 'start')
  return { url: s.url, port: s.port, output: s.output, waitForOutput: s.waitForOutput, stop: s.stop }
}

/** `PORT=<free> bun <file>`, as a user runs the built fetch.js on Bun. */
export async function startBun(file: string, cwd: string): Promise<RuntimeServer> {
  const bun = requireBinary('bun')
  const port = await freePort()
  return spawnRuntime('bun', bun, [file], { cwd, port, env: { PORT: String(port) } })
}

/** `deno serve -A --port <free> <file>` (on 127.0.0.1), as a user runs the built fetch.js on Deno. */
export async function startDeno(file: string, cwd: string): Promise<RuntimeServer> {
  const deno = requireBinary('deno')
  const port = await freePort()
  return spawnRuntime('deno', deno, ['serve', '-A', '--host', '127.0.0.1', '--port', String(port), file], { cwd, port })
}

/** `wrangler dev` in a Workers project folder, on workerd, locally (no login, no remote bindings). */
export async function startWrangler(projectDir: string): Promise<RuntimeServer> {
  const wrangler = requireBinary('wrangler')
  const port = await freePort()
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0']
  return spawnRuntime('wrangler', wrangler, [...args, '--show-interactive-dev-session=false'], {
    cwd: projectDir,
    port,
  })
}

// The Node server of the `fetch handler on node` target: @remix-run/node-fetch-server turns each (req, res) into a
// Request whose signal aborts when the client leaves before the response is finished, and streams the Response.
const NODE_FETCH_SERVER = `
const { createServer } = await import('node:http')
const { createRequestListener } = await import(process.env.NODE_FETCH_SERVER_URL)
const app = (await import(process.env.FETCH_ENTRY_URL)).default
const port = Number(process.env.PORT)
createServer(createRequestListener((request) => app.fetch(request))).listen(port, '127.0.0.1', () =>
  console.log('listening on http://127.0.0.1:' + port),
)
`

/** The built fetch.js served in one Node process by `http.createServer` through @remix-run/node-fetch-server. */
export async function startFetchOnNode(file: string, cwd: string): Promise<RuntimeServer> {
  const port = await freePort()
  const adapter = createRequire(import.meta.url).resolve('@remix-run/node-fetch-server')
  return spawnRuntime('fetch handler on node', process.execPath, ['--input-type=module', '-e', NODE_FETCH_SERVER], {
    cwd,
    port,
    env: {
      PORT: String(port),
      NODE_FETCH_SERVER_URL: pathToFileURL(adapter).href,
      FETCH_ENTRY_URL: pathToFileURL(file).href,
    },
  })
}

function requireBinary(name: 'bun' | 'deno' | 'wrangler'): string {
  const file = runtimeBinary(name)
  if (!file) throw new Error(`${name} is not installed in ${RUNTIMES_BIN}: run scripts/ensure-runtimes.sh first.`)
  return file
}
