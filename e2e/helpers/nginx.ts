// Debian's nginx, run as the current user from a temp dir, with the block of packages/core/docs/deployment.md
// ("Behind nginx"), so the documented configuration is the tested one; scripts/ensure-nginx.sh installs nginx.
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { delimiter, isAbsolute, join, relative } from 'node:path'
import { buildFixture } from './fixtures.js'
import { FIXTURE, REPO_DIR } from './paths.js'
import { freePort, waitFor } from './process.js'

const DEPLOYMENT_DOC = join(REPO_DIR, 'packages/core/docs/deployment.md')

/** nginx from PATH, or where Debian's package puts it (outside a non-root user's PATH). */
export function findNginx(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(isAbsolute), '/usr/sbin']
  const found = dirs.map((d) => join(d, 'nginx')).find((f) => existsSync(f))
  if (!found) throw new Error('nginx is not installed: run scripts/ensure-nginx.sh (npm test runs it first).')
  return found
}

/** The version `nginx -v` prints, as [major, minor, patch]. */
export function nginxVersion(bin: string): [number, number, number] {
  const out = spawnSync(bin, ['-v'], { encoding: 'utf8' })
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(out.stderr + out.stdout)
  if (!m) throw new Error(`cannot read the version from \`nginx -v\`: ${out.stderr}${out.stdout}`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

/** A fenced block of deployment.md: the first with this language whose text includes `marker`. */
export function docBlock(lang: string, marker: string): string {
  const doc = readFileSync(DEPLOYMENT_DOC, 'utf8')
  for (const m of doc.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))) {
    if (m[1]!.includes(marker)) return m[1]!
  }
  throw new Error(`deployment.md has no \`\`\`${lang} block with ${marker}: update e2e/helpers/nginx.ts with the doc`)
}

/** Replaces `from` (which must occur exactly once) with `to`, so a changed doc fails loudly here. */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from)
  if (parts.length !== 2) throw new Error(`deployment.md's nginx block must have "${from}" exactly once`)
  return parts.join(to)
}

/** One line of the access log: when the request ended (ms since the epoch), and which instances nginx tried. */
export interface LogEntry {
  at: number
  status: number
  method: string
  uri: string
  /** Every instance nginx tried, in order ("127.0.0.1:3000"); more than one means it retried. */
  upstreams: string[]
}

const LOG_FORMAT = `'$msec $status $request_method $request_uri "$upstream_addr"'`

function parseLogLine(line: string): LogEntry {
  const m = /^(\S+) (\d+) (\S+) (\S+) "([^"]*)"$/.exec(line)
  if (!m) throw new Error(`unexpected access log line: ${line}`)
  return { at: Number(m[1]) * 1000, status: Number(m[2]), method: m[3]!, uri: m[4]!, upstreams: m[5]!.split(', ') }
}

/** A running nginx with its prefix dir (config, pid, logs, temp files). */
export interface Nginx {
  url: string
  dir: string
  proc: ChildProcess
  /** The access log so far, one entry per request. */
  accessLog: () => LogEntry[]
  errorLog: () => string
  stop: () => Promise<void>
}

/**
 * Starts nginx in the foreground with deployment.md's block (or `site`, a variant of it) in front of `upstreams`
 * (its two server lines).
 */
export async function startNginx(
  bin: string,
  upstreams: [number, number],
  site = docBlock('nginx', 'upstream pareto'),
): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-nginx-'))
  const port = await freePort()
  site = replaceOnce(site, 'server 127.0.0.1:3000;', `server 127.0.0.1:${upstreams[0]};`)
  site = replaceOnce(site, 'server 127.0.0.1:3001;', `server 127.0.0.1:${upstreams[1]};`)
  site = replaceOnce(site, 'listen 80;', `listen 127.0.0.1:${port};`)
  // As root, nginx's workers would switch to "nobody", who cannot enter the private temp dir.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : ''
  const conf = `${user}daemon off;
worker_processes 1;
pid nginx.pid;
error_log error.log info;
events { worker_connections 1024; }
http {
  log_format timed ${LOG_FORMAT};
  access_log access.log timed;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
${site}
}
`
  mkdirSync(join(dir, 'tmp'))
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const proc = spawn(bin, ['-p', dir + '/', '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '')
  await waitFor(() => {
    if (proc.exitCode !== null) throw new Error(`nginx exited at start:\n${out}\n${read('error.log')}`)
    return read('nginx.pid') !== '' && read('error.log').includes('start worker process')
  }, 'nginx to start')
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    proc,
    accessLog: () => read('access.log').split('\n').filter(Boolean).map(parseLogLine),
    errorLog: () => read('error.log'),
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * A copy of the basic fixture in a temp dir, resolving packages from the repository's node_modules, with
 * deployment.md's health route and `config` as its pareto.config.ts when given (the fixture's own otherwise);
 * built with `pareto build`.
 */
export async function buildFixtureCopy(prefix: string, config?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cpSync(FIXTURE, dir, {
    recursive: true,
    filter: (src) => !['node_modules', '.pareto'].includes(relative(FIXTURE, src)),
  })
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  if (config !== undefined) writeFileSync(join(dir, 'pareto.config.ts'), config)
  mkdirSync(join(dir, 'app/healthz'))
  writeFileSync(join(dir, 'app/healthz/route.ts'), docBlock('ts', '// app/healthz/route.ts'))
  await buildFixture(dir)
  return dir
}
