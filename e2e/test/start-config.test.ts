import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixture } from '../helpers/fixtures.js'
import { NO_PARETO_REGISTRY, NPM_FLAGS, packWorkspace } from '../helpers/pack.js'
import { FIXTURE, REPO_DIR } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'

/** Sets the mode of every folder and file under `dir` (files keep no execute bit). */
function chmodTree(dir: string, mode: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) chmodTree(path, mode)
    else chmodSync(path, mode & 0o666)
  }
  chmodSync(dir, mode)
}

/** The native libraries a process has loaded (Linux: its memory map). */
const nativeLibraries = (pid: number) =>
  readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/).pop() ?? '')
    .filter((file) => file.endsWith('.node'))

describe('pareto start with a pareto.config.ts', () => {
  let dir: string
  let server: ServerProcess
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-start-config-'))
    cpSync(FIXTURE, dir, {
      recursive: true,
      filter: (src) => !['node_modules', '.pareto'].includes(relative(FIXTURE, src)),
    })
    symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
    const config = join(dir, 'pareto.config.ts')
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('const config: ParetoConfig = {', "$&\n  outDir: 'out',"),
    )
    await buildFixture(dir)
    server = await spawnServer(dir, ['start', '--port', '0'])
  })
  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves the build from the outDir the config names', async () => {
    const res = await fetch(server.url + '/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<html')
  })

  it('keeps Vite out of the server: the config is read in a process that exits (~45 MB of RSS otherwise)', () => {
    expect(nativeLibraries(server.proc.pid!).filter((f) => f.includes('rolldown'))).toEqual([])
    // Positive control: a process that has imported Vite shows its native bundler in the same listing.
    const control = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "await import('vite'); const { readFileSync } = await import('node:fs'); process.stdout.write(readFileSync('/proc/self/maps', 'utf8'))",
      ],
      { cwd: dir, encoding: 'utf8' },
    )
    expect(control.stdout).toMatch(/rolldown[^\n]*\.node/)
  })

  it('starts where it may not write (an unprivileged user in a read-only app folder, as in a container)', async () => {
    // The built app with a packed install in a fresh folder anyone may enter: the user cannot reach this clone,
    // whose parent may be private (mode 700, as `mktemp -d` and many home folders are).
    const world = mkdtempSync(join(tmpdir(), 'pareto-start-readonly-'))
    chmodSync(world, 0o755)
    try {
      const app = join(world, 'app')
      cpSync(dir, app, { recursive: true, filter: (src) => relative(dir, src) !== 'node_modules' })
      const { dependencies } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>
      }
      const core = packWorkspace('@paretojs/core', world, ['--ignore-scripts'])
      const others = Object.entries(dependencies).filter(([name]) => name !== '@paretojs/core')
      execFileSync(
        'npm',
        ['install', ...NPM_FLAGS, NO_PARETO_REGISTRY, core.tgz, ...others.map(([name, range]) => `${name}@${range}`)],
        { cwd: app, stdio: 'pipe' },
      )
      expect(realpathSync(join(app, 'node_modules/@paretojs/core')).startsWith(app + sep)).toBe(true)

      // As root, the folder is given to nobody to read only; as anyone else, the folder is made read-only.
      const asRoot = process.getuid?.() === 0
      chmodTree(app, asRoot ? 0o755 : 0o555)
      const cli = join(app, 'node_modules/@paretojs/core/bin/pareto.js')
      const ro = asRoot
        ? await spawnServer(app, ['-u', 'nobody', '--', process.execPath, cli, 'start', '--port', '0'], {
            command: 'runuser',
          })
        : await spawnServer(app, ['start', '--port', '0'], { script: cli })
      try {
        const res = await fetch(ro.url + '/')
        expect(res.status).toBe(200)
        expect(await res.text()).toContain('<html')
      } finally {
        await ro.stop()
        if (!asRoot) chmodTree(app, 0o755)
      }
    } finally {
      rmSync(world, { recursive: true, force: true })
    }
  }, 240_000)

  it('a config the server cannot use stops `pareto start` with the message naming the file', () => {
    writeFileSync(join(dir, 'pareto.config.ts'), 'export default { shellBudget: -1 }\n')
    const run = spawnSync(process.execPath, [join(REPO_DIR, 'packages/core/dist/cli/index.js'), 'start'], {
      cwd: dir,
      encoding: 'utf8',
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/pareto\.config\.ts: shellBudget must be a number of milliseconds/)
  })
})
