import { spawnServer } from './process.js'
import type { ServerProcess } from './process.js'

/** A server started the way a user starts one, with its output kept for assertions. */
export type RunningServer = ServerProcess

/** Runs `pareto <command> --port 0` (or another CLI file) in `cwd` and resolves once it prints its URL. */
export function startServer(
  cwd: string,
  command: 'start' | 'dev',
  opts: { cli?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<RunningServer> {
  return spawnServer(cwd, [command, '--port', '0'], { script: opts.cli, env: opts.env, nodeArgs: opts.nodeArgs })
}
