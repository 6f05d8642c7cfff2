#!/usr/bin/env node
import cluster from 'node:cluster'
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { loadDotEnv } from './env.js'
import { workerCount } from '../node/cluster.js'

const HELP = `Usage: pareto <command> [options]

Commands:
  dev     start the development server (Vite, HMR)
  build   build the client and server into outDir (default .pareto), with server/fetch.js for Bun and Deno
  start   serve the production build

Options:
  --port <n>        port for dev/start (default: $PORT, else 3000)
  --host <h>        host to bind (dev: localhost, start: 0.0.0.0)
  --workers <n>     start: serve from n worker processes sharing the port; auto: one per CPU core
                    (default: one process)
  --target cloudflare
                    build: also write a Cloudflare Workers project in <outDir>/cloudflare
  -h, --help        show this help`

/** Port from the flag, else PORT, else 3000; a bad value is an error that says which. */
export function resolvePort(flag: string | undefined, env = process.env.PORT): number {
  const raw = flag ?? env ?? '3000'
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `Invalid port "${raw}"${flag === undefined ? ' (from PORT)' : ''}: use a whole number from 0 to 65535, e.g. --port 3000.`,
    )
  }
  return port
}

/** The number of worker processes `--workers` asks for; a bad value is an error that names the flag. */
export function resolveWorkers(flag: string): number {
  const n = workerCount(flag)
  if (n === undefined) {
    throw new Error(
      `Invalid --workers "${flag}": use a whole number of processes from 1 up, e.g. --workers 4, or --workers auto for one per CPU core.`,
    )
  }
  return n
}

/** The port a server actually bound (differs from the requested one for --port 0). */
function boundPort(server: { address(): ReturnType<import('node:net').Server['address']> }, requested: number): number {
  const addr = server.address()
  return typeof addr === 'object' && addr ? addr.port : requested
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      workers: { type: 'string' },
      target: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals[0]
  if (values.help || !command) {
    console.log(HELP)
    return
  }
  if (values.workers !== undefined && command !== 'start') {
    throw new Error(
      `--workers applies to \`pareto start\` only; \`pareto ${command}\` runs in one process. Leave it out.`,
    )
  }
  if (values.target !== undefined && (command !== 'build' || values.target !== 'cloudflare')) {
    throw new Error(
      command !== 'build'
        ? `--target applies to \`pareto build\` only. Leave it out of \`pareto ${command}\`.`
        : `Unknown --target "${values.target}": the one target is cloudflare (a Workers project in <outDir>/cloudflare). Without it the build runs on Node, Bun and Deno.`,
    )
  }
  // Checked before the build is looked at, so a typo is the error reported.
  const workers = values.workers === undefined ? undefined : resolveWorkers(values.workers)
  const root = process.cwd()
  // React and Vite pick their builds from NODE_ENV when first imported, so it is set before any import below.
  const mode = command === 'dev' ? 'development' : 'production'
  if (
    process.env.NODE_ENV &&
    process.env.NODE_ENV !== mode &&
    (command === 'build' || command === 'start' || command === 'dev')
  ) {
    console.warn(
      `[pareto] NODE_ENV=${process.env.NODE_ENV} ignored: \`pareto ${command}\` always runs in ${mode} mode.`,
    )
  }
  process.env.NODE_ENV = mode
  loadDotEnv(root, mode)
  switch (command) {
    case 'dev': {
      const { startDevServer } = await import('../vite/dev.js')
      const port = resolvePort(values.port)
      const server = await startDevServer(root, { port, host: values.host })
      console.log(`[pareto] dev server ready at http://${values.host ?? 'localhost'}:${boundPort(server, port)}`)
      return
    }
    case 'build': {
      const { buildApp } = await import('../vite/build.js')
      await buildApp(root, { cloudflare: values.target === 'cloudflare' })
      return
    }
    case 'start': {
      const { configuredOutDir } = await import('../vite/load-config.js')
      const { startProductionServer } = await import('../node/production.js')
      const outDir = await configuredOutDir(root)
      const port = resolvePort(values.port)
      const server = await startProductionServer(resolve(root, outDir), { port, host: values.host, workers })
      // Each worker runs this command again; the primary speaks for them all.
      if (cluster.isWorker) return
      const pids = 'pids' in server ? ` with ${workers} workers (pids ${server.pids().join(', ')})` : ''
      console.log(
        `[pareto] production server listening on http://${values.host ?? 'localhost'}:${boundPort(server, port)}${pids}`,
      )
      return
    }
    default:
      throw new Error(`Unknown command "${command}". Use one of: dev, build, start (pareto --help).`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[pareto] ${error instanceof Error ? error.message : String(error)}`)
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack)
  process.exit(1)
})
