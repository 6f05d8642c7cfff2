import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { CLI } from './paths.js'

/** A server started the way a user starts one, with its output kept for assertions. */
export interface RunningServer {
  url: string
  proc: ChildProcess
  output: () => string
  /** Resolves with the output once it contains `text` (the server's log may trail its response), or rejects after 2 s. */
  waitForOutput: (text: string) => Promise<string>
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
        const waitForOutput = async (text: string) => {
          for (let i = 0; i < 40 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50))
          if (!out.includes(text)) throw new Error(`server output never contained ${JSON.stringify(text)}:\n${out}`)
          return out
        }
        resolve({ url: (m[1] ?? m[2]).replace('0.0.0.0', '127.0.0.1'), proc, output: () => out, waitForOutput, stop })
      }
    }
    proc.stdout!.on('data', onData)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
}
