import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { CLI } from './paths.js'

/** A server started the way a user starts one, with its output kept for assertions. */
export interface RunningServer {
  url: string
  proc: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

/** Runs `pareto <command> --port 0` (or another CLI file) in `cwd` and resolves once it prints its URL. */
export function startServer(
  cwd: string,
  command: 'start' | 'dev',
  opts: { cli?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<RunningServer> {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.cli ?? CLI, command, '--port', '0'], {
    cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGTERM')
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref()
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000)
    const onData = () => {
      const m = /listening on (http:\/\/\S+)|ready at (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        proc.stdout!.off('data', onData)
        resolve({ url: (m[1] ?? m[2]).replace('0.0.0.0', '127.0.0.1'), proc, output: () => out, stop })
      }
    }
    proc.stdout!.on('data', onData)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
}
