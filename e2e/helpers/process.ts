import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { CLI } from './paths.js'

/** A server process started for a test: its URL, its output so far, and how it exited. */
export interface ServerProcess {
  url: string
  port: number
  proc: ChildProcess
  output: () => string
  /** Resolves with the output once it matches `pattern`, or rejects after `ms`. */
  waitForOutput: (pattern: string | RegExp, ms?: number) => Promise<string>
  /** Settles when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGTERM, then SIGKILL after 15 s; resolves on exit. */
  stop: () => Promise<void>
}

/**
 * Runs `node <nodeArgs> <script> <args>` (by default the built CLI) in `cwd` and resolves once it prints
 * "listening on http://…" (`pareto start`) or "ready at http://…" (`pareto dev`).
 */
export function spawnServer(
  cwd: string,
  args: string[],
  opts: { script?: string; env?: Record<string, string>; nodeArgs?: string[]; command?: string } = {},
): Promise<ServerProcess> {
  // `command` runs instead of node, with `args` alone (a wrapper such as runuser that starts node itself).
  const argv = opts.command ? args : [...(opts.nodeArgs ?? []), opts.script ?? CLI, ...args]
  const proc = spawn(opts.command ?? process.execPath, argv, {
    cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const waitForOutput = async (pattern: string | RegExp, ms = 5000) => {
    const seen = () => (typeof pattern === 'string' ? out.includes(pattern) : pattern.test(out))
    for (const start = Date.now(); !seen() && Date.now() - start < ms;) await new Promise((r) => setTimeout(r, 25))
    if (!seen()) throw new Error(`server output never matched ${String(pattern)} in ${ms} ms:\n${out}`)
    return out
  }
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000)
    const onData = () => {
      const m = /(?:listening on|ready at) (http:\/\/[^\s:]+):(\d+)/.exec(out)
      if (!m) return
      clearTimeout(timer)
      proc.stdout!.off('data', onData)
      const port = Number(m[2])
      resolve({ url: `http://127.0.0.1:${port}`, port, proc, output: () => out, waitForOutput, exited, stop })
    }
    proc.stdout!.on('data', onData)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${signal ?? code} before listening:\n${out}`))
    })
  })
}

/** Process ids whose parent is `pid` (Linux: read from /proc). */
export function childrenOf(pid: number): number[] {
  const children: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      // The command name in parentheses may hold spaces; the parent id is the second field after it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) children.push(Number(name))
    } catch {
      // The process ended while the list was read.
    }
  }
  return children.sort((a, b) => a - b)
}

/** The command line of a running process (Linux: /proc/<pid>/cmdline). */
export function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
}

/** Whether a process with this id is running. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => ok(typeof addr === 'object' && addr ? addr.port : 0))
    })
  })
}

/** Polls `check` every 25 ms until it returns a truthy value, or throws `what` after `ms`. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 25))) {
    const value = check()
    if (value) return value
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}
