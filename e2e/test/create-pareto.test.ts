import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CORE_VERSION, NO_PARETO_REGISTRY, NPM_FLAGS, installedCore, packWorkspace } from '../helpers/pack.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { PERSON_UA, launch, openPage } from '../helpers/browser.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

// `npm create pareto` as a user runs it: the packed scaffolder makes an app, which installs the packed core.

let dir: string
let work: string
let bin: string
let app: string
let cli: string
let created: { status: number | null; stdout: string; stderr: string }
let scaffoldedManifest: string

/** Runs the installed create-pareto bin (through its shebang, as npx does) in `cwd`; never throws. */
function create(
  args: string[],
  cwd: string,
  userAgent = 'npm/11.0.0 node/v20.19.0 linux x64',
  npmEnv: Record<string, string> = {},
) {
  // npm's own variables from the test runner's `npm test` would stand for a user's npm create.
  const { npm_command: _command, npm_config_yes: _yes, ...env } = process.env
  const r = spawnSync(bin, args, {
    cwd,
    encoding: 'utf8',
    env: { ...env, npm_config_user_agent: userAgent, ...npmEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

// util-linux's script gives the scaffolder a real pseudo-terminal, so it prompts as it does for a person.
const SCRIPT = '/usr/bin/script'

/** A scaffolder run on a pseudo-terminal: read what it printed, wait for text, type keys, await its exit code. */
interface TerminalRun {
  output(): string
  waitFor(text: string, timeoutMs?: number): Promise<void>
  type(keys: string): void
  exit(timeoutMs?: number): Promise<number | null>
}

/** Starts the installed bin on a pseudo-terminal in `cwd`, fed keystrokes through the terminal. */
function onTerminal(args: string[], cwd: string): TerminalRun {
  if (!existsSync(SCRIPT)) {
    throw new Error(`${SCRIPT} is missing: install util-linux (on Debian, its bsdutils package) to run this test`)
  }
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`
  // script's terminal has no size (0 columns) and clack would wrap at every character, so give it one.
  const command = `stty cols 200 rows 50 && exec ${[bin, ...args].map(quote).join(' ')}`
  const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
    cwd,
    env: {
      ...process.env,
      SHELL: '/bin/sh',
      TERM: 'xterm-256color',
      npm_config_user_agent: 'npm/11.0.0 node/v20.19.0',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let raw = ''
  child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (raw += chunk.toString()))
  // Keys typed after an early exit would otherwise fail the run with EPIPE instead of the assertion that explains it.
  child.stdin.on('error', () => {})
  let code: number | null | undefined
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve((code = c))))
  const output = () => stripVTControlCharacters(raw)
  return {
    output,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (!output().includes(text)) {
        if (code !== undefined)
          throw new Error(`Exited (${code}) before printing ${JSON.stringify(text)}:\n${output()}`)
        if (Date.now() > deadline) {
          // A prompt left waiting would outlive the failed test.
          child.kill('SIGKILL')
          throw new Error(`No ${JSON.stringify(text)} within ${timeoutMs} ms:\n${output()}`)
        }
        await sleep(50)
      }
    },
    type(keys) {
      child.stdin.write(keys)
    },
    async exit(timeoutMs = 30_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      try {
        const c = await closed
        child.stdin.end()
        if (child.signalCode) throw new Error(`Still running after ${timeoutMs} ms:\n${output()}`)
        return c
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** Runs an npm script of the app, failing with its output. */
function npmRun(script: string) {
  try {
    execFileSync('npm', ['run', script], { cwd: app, encoding: 'utf8', stdio: 'pipe' })
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string }
    throw new Error(`npm run ${script} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'create-pareto-'))
  const packDir = join(dir, 'pack')
  mkdirSync(packDir)
  const core = packWorkspace('@paretojs/core', packDir, ['--ignore-scripts'])
  expect(core.files).toContain('dist/cli/index.js')
  const scaffolder = packWorkspace('create-pareto', packDir)
  expect(scaffolder.files).toEqual(
    expect.arrayContaining(['index.js', 'core-version.json', 'template/_gitignore', 'template/app/stream/page.tsx']),
  )

  // Installed from its tarball into a folder of its own, as npx does.
  const runner = join(dir, 'runner')
  mkdirSync(runner)
  writeFileSync(join(runner, 'package.json'), JSON.stringify({ name: 'runner', private: true }))
  execFileSync('npm', ['install', ...NPM_FLAGS, NO_PARETO_REGISTRY, scaffolder.tgz], { cwd: runner, stdio: 'pipe' })
  bin = join(runner, 'node_modules/.bin/create-pareto')

  work = join(dir, 'work')
  mkdirSync(work)
  created = create(['--yes', 'my-app'], work)
  expect(created.stderr).toBe('')
  expect(created.status).toBe(0)
  app = join(work, 'my-app')
  // The scaffolded package.json pins core by version; the packed tarball stands in for the published one, and
  // the @paretojs scope points at a closed port, so no registry can answer for it.
  scaffoldedManifest = readFileSync(join(app, 'package.json'), 'utf8')
  execFileSync('npm', ['install', ...NPM_FLAGS, NO_PARETO_REGISTRY, core.tgz], { cwd: app, stdio: 'pipe' })
  cli = join(app, 'node_modules/.bin/pareto')
}, 300_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('create-pareto', () => {
  it('prints its usage with --help', () => {
    const r = create(['--help'], work)
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Usage: create-pareto [project-name]')
    expect(r.stdout).toContain('--yes')
    expect(r.stdout).toContain('--force')
    expect(r.stdout).toContain('npm create pareto@latest my-app -- --yes')
  })

  it('writes the template with the project name, a .gitignore and the exact core version it was packed with', () => {
    expect(created.stdout).toMatch(/cd my-app\n\s+npm install\n\s+npm run dev/)
    const files = readdirSync(app)
    expect(files).toEqual(expect.arrayContaining(['.gitignore', 'README.md', 'app', 'package.json', 'tsconfig.json']))
    const tsconfig = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { types: string[] }
    }
    expect(tsconfig.compilerOptions.types).toContain('vite/client')
    expect(files).not.toContain('_gitignore')
    expect(readFileSync(join(app, '.gitignore'), 'utf8')).toMatch(/node_modules[\s\S]*\.pareto/)
    const pkg = JSON.parse(scaffoldedManifest)
    expect(pkg.name).toBe('my-app')
    // Exact: a range could take a later published core, and the original's 5.x sorts before ours.
    expect(pkg.dependencies).toEqual({ '@paretojs/core': CORE_VERSION, react: '^19.0.0', 'react-dom': '^19.0.0' })
    expect(pkg.scripts).toMatchObject({ dev: 'pareto dev', build: 'pareto build', start: 'pareto start' })
    expect(readFileSync(join(app, 'README.md'), 'utf8')).toMatch(/^# my-app\n/)
    expect(readFileSync(join(app, 'README.md'), 'utf8')).not.toContain('{{')
  })

  it('installs the pinned core from the packed tarball, not from a registry', () => {
    const pin = (JSON.parse(scaffoldedManifest) as { dependencies: Record<string, string> }).dependencies[
      '@paretojs/core'
    ]
    const core = installedCore(app)
    expect(core.resolved).toMatch(/^file:.*\.tgz$/)
    expect(core.version).toBe(pin)
    expect(core.lockVersion).toBe(pin)
  })

  it('prints the next steps for the package manager that ran it', () => {
    const r = create(['--yes', 'pnpm-app'], work, 'pnpm/9.12.0 npm/? node/v20.19.0 linux x64')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/cd pnpm-app\n\s+pnpm install\n\s+pnpm dev/)
  })

  it('refuses a non-empty folder, naming it and the fix, and writes into it with --force', () => {
    const taken = join(work, 'taken')
    mkdirSync(taken)
    writeFileSync(join(taken, 'notes.txt'), 'mine')
    const r = create(['--yes', 'taken'], work)
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('The folder taken is not empty')
    expect(r.stderr).toContain('npm create pareto@latest taken -- --force')
    expect(readdirSync(taken)).toEqual(['notes.txt'])

    const forced = create(['--yes', '--force', 'taken'], work)
    expect(forced.status).toBe(0)
    expect(existsSync(join(taken, 'app/page.tsx'))).toBe(true)
    expect(readFileSync(join(taken, 'notes.txt'), 'utf8')).toBe('mine')
  })

  it('without a terminal, a name or --yes, says how to run it', () => {
    const r = create([], work)
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('No project name given')
    expect(r.stderr).toContain('npm create pareto@latest my-app')
    expect(r.stderr).toContain('npm create pareto@latest -- --yes')
    expect(r.stderr).not.toContain('npm kept --yes')
    expect(existsSync(join(work, 'my-pareto-app'))).toBe(false)
  })

  it('after `npm create pareto --yes` (npm keeps --yes), says to put it after --', () => {
    // What npm sets for the package it runs on `npm create pareto@latest --yes`: the flag is gone from argv.
    const r = create([], work, undefined, { npm_command: 'init', npm_config_yes: 'true' })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('npm kept --yes for itself: options for create-pareto go after "--".')
    expect(r.stderr).toContain('npm create pareto@latest -- --yes')
    expect(existsSync(join(work, 'my-pareto-app'))).toBe(false)
  })

  describe('on a terminal', () => {
    const PROMPT = 'Project name (the folder to create)'
    let cwd: string

    beforeAll(() => {
      cwd = join(dir, 'terminal')
      mkdirSync(cwd)
    })

    it('asks for the project name and writes the app under the typed one', async () => {
      const run = onTerminal([], cwd)
      await run.waitFor(PROMPT)
      // The default shows as the placeholder until the user types.
      expect(run.output()).toContain('my-pareto-app')
      run.type('typed-app')
      await run.waitFor('typed-app')
      run.type('\r')
      expect(await run.exit()).toBe(0)
      expect(run.output()).toContain('Created typed-app')
      expect(run.output()).toMatch(/cd typed-app[\s│]+npm install[\s│]+npm run dev/)
      expect(run.output()).not.toContain('is not empty')
      expect(JSON.parse(readFileSync(join(cwd, 'typed-app/package.json'), 'utf8')).name).toBe('typed-app')
    })

    it('takes the default name on a bare Enter', async () => {
      const run = onTerminal([], cwd)
      await run.waitFor(PROMPT)
      run.type('\r')
      expect(await run.exit()).toBe(0)
      expect(JSON.parse(readFileSync(join(cwd, 'my-pareto-app/package.json'), 'utf8')).name).toBe('my-pareto-app')
    })

    it('asks before writing into a non-empty folder: No writes nothing, Yes writes the app beside its files', async () => {
      const taken = join(cwd, 'taken')
      mkdirSync(taken)
      writeFileSync(join(taken, 'notes.txt'), 'mine')
      const confirm = 'The folder taken is not empty. Write the app into it anyway?'

      const declined = onTerminal([], cwd)
      await declined.waitFor(PROMPT)
      declined.type('taken')
      await declined.waitFor('taken')
      declined.type('\r')
      await declined.waitFor(confirm)
      declined.type('n')
      expect(await declined.exit()).toBe(1)
      expect(declined.output()).toContain('Cancelled: nothing was written')
      expect(readdirSync(taken)).toEqual(['notes.txt'])

      // A name on the command line skips the first question but not the confirmation.
      const accepted = onTerminal(['taken'], cwd)
      await accepted.waitFor(confirm)
      expect(accepted.output()).not.toContain(PROMPT)
      accepted.type('y')
      expect(await accepted.exit()).toBe(0)
      expect(JSON.parse(readFileSync(join(taken, 'package.json'), 'utf8')).name).toBe('taken')
      expect(readFileSync(join(taken, 'notes.txt'), 'utf8')).toBe('mine')
    })

    it('on Ctrl+C at the first question, says it cancelled, writes nothing and exits non-zero', async () => {
      const before = readdirSync(cwd)
      const run = onTerminal([], cwd)
      await run.waitFor(PROMPT)
      run.type('\x03')
      expect(await run.exit()).toBe(1)
      expect(run.output()).toContain('Cancelled: nothing was written')
      expect(readdirSync(cwd)).toEqual(before)
    })
  })

  it('rejects an unknown option, pointing to --help', () => {
    const r = create(['--yes', '--typo', 'x'], work)
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain("'--typo'")
    expect(r.stderr).toContain('create-pareto --help')
  })
})

describe("the scaffolded app's types", () => {
  const probe = () => join(app, 'app/types-probe')

  beforeAll(() => {
    mkdirSync(probe())
    writeFileSync(join(probe(), 'card.module.css'), '.card { color: teal; }\n')
    writeFileSync(
      join(probe(), 'card.tsx'),
      [
        "import styles from './card.module.css'",
        '',
        'export function Card() {',
        '  const mode: string = import.meta.env.MODE',
        '  const greeting: string | undefined = import.meta.env.VITE_GREETING',
        '  return <p className={styles.card}>{import.meta.env.DEV ? mode : greeting}</p>',
        '}',
        '',
      ].join('\n'),
    )
  })

  afterAll(() => {
    rmSync(probe(), { recursive: true, force: true })
  })

  /** `tsc --noEmit` in the app with its own tsconfig, plus `extra` flags; never throws. */
  const tsc = (extra: string[] = []) =>
    spawnSync(join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json', ...extra], {
      cwd: app,
      encoding: 'utf8',
    })

  it('type-checks import.meta.env and a CSS module import with the template tsconfig', () => {
    const r = tsc()
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('needs vite/client for that: without it tsc rejects both (positive control)', () => {
    const r = tsc(['--types', 'node'])
    expect(r.status).not.toBe(0)
    expect(r.stdout).toContain("Cannot find module './card.module.css'")
    expect(r.stdout).toContain("Property 'env' does not exist on type 'ImportMeta'")
  })
})

describe('the scaffolded app', () => {
  let server: RunningServer

  beforeAll(async () => {
    npmRun('typecheck')
    npmRun('build')
    server = await startServer(app, 'start', { cli })
  }, 180_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('typechecks and builds (in the setup above)', () => {
    expect(existsSync(join(app, '.pareto'))).toBe(true)
  })

  it('streams /stream: the shell with the skeleton first, the report about a second later', async () => {
    const r = await fetchTimed(server.url + '/stream', { 'user-agent': PERSON_UA })
    expect(r.status).toBe(200)
    const shell = arrivalOf(r, 'aria-label="Loading the report"')
    expect(arrivalOf(r, '<h1>Today at a glance</h1>')).toBeLessThanOrEqual(shell)
    const data = arrivalOf(r, '<dt>Visitors</dt>')
    expect(data - shell).toBeGreaterThan(600)
    expect(r.body).toContain('<dd>1284</dd>')
  })

  it('serves / from its loader, with the layout, the global stylesheet and the icon from public/', async () => {
    const r = await request(server.url + '/?name=Ada')
    expect(r.status).toBe(200)
    expect(r.body).toContain('<h1>Hello from the server</h1>')
    expect(r.body).toContain('Hi, <!-- -->Ada')
    expect(r.body).toContain('<title>My Pareto app</title>')
    expect(r.body).toMatch(/<a[^>]* href="\/stream"/)
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(r.body)?.[1]
    expect(css).toBeDefined()
    const sheet = await request(server.url + css)
    expect(sheet.status).toBe(200)
    expect(sheet.body).toContain('.skeleton')
    const icon = await request(server.url + '/favicon.svg')
    expect(icon.status).toBe(200)
    expect(icon.body).toContain('<svg')
  })

  it('answers /api/time with JSON', async () => {
    const r = await request(server.url + '/api/time')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toContain('application/json')
    const body = JSON.parse(r.body) as { now: string; unixMs: number }
    expect(Math.abs(Date.parse(body.now) - Date.now())).toBeLessThan(60_000)
    expect(body.unixMs).toBe(Date.parse(body.now))
  })

  it('answers a missing path with 404 and the not-found page inside the layout', async () => {
    const r = await request(server.url + '/no/such/page')
    expect(r.status).toBe(404)
    expect(r.body).toContain('<h1>Page not found</h1>')
    expect(r.body).toContain('class="site-header"')
  })

  it('hydrates in the browser without errors, and its links navigate', async () => {
    const browser = await launch()
    try {
      const { page, problems } = await openPage(browser)
      await page.goto(server.url + '/stream')
      await page.waitForSelector('dt:has-text("Visitors")')
      await page.waitForLoadState('load')
      await page.click('nav >> text=Home')
      await page.waitForSelector('h1:has-text("Hello from the server")')
      expect(problems.errors).toEqual([])
    } finally {
      await browser.close()
    }
  })
})

describe('the scaffolded app in development', () => {
  it('pareto dev answers / with 200', async () => {
    const server = await startServer(app, 'dev', { cli })
    try {
      const r = await request(server.url + '/')
      expect(r.status).toBe(200)
      expect(r.body).toContain('<h1>Hello from the server</h1>')
    } finally {
      await server.stop()
    }
  }, 90_000)
})
