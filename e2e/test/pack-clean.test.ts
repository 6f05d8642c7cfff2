import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_DIR } from '../helpers/paths.js'

// `npm pack` from a fresh clone, where dist/ was never built: the tarball must still hold the compiled code.
const CORE = join(REPO_DIR, 'packages/core')
let dir: string
let packed: { files: { path: string }[] }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pareto-pack-clean-'))
  const core = join(dir, 'packages/core')
  mkdirSync(core, { recursive: true })
  // The package's tracked files only: no dist/ (never built) and no installed node_modules/.
  cpSync(CORE, core, {
    recursive: true,
    filter: (src) => {
      const rel = relative(CORE, src).split(/[\\/]/)[0]
      return rel !== 'dist' && rel !== 'node_modules' && !rel.endsWith('.tgz')
    },
  })
  expect(existsSync(join(core, 'dist'))).toBe(false)
  // What `npm install` in the clone would give: the workspace root's node_modules (tsc, @types) and the package's own.
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  if (existsSync(join(CORE, 'node_modules'))) symlinkSync(join(CORE, 'node_modules'), join(core, 'node_modules'), 'dir')
  // --json keeps stdout to the report; lifecycle scripts' output goes to stderr.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: core,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const reports = JSON.parse(out.slice(out.indexOf('['))) as { files: { path: string }[] }[]
  packed = reports[0]
}, 240_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('npm pack from a clean checkout', () => {
  it.each([
    'dist/index.js',
    'dist/node.js',
    'dist/client.js',
    'dist/store/index.js',
    'dist/cli/index.js',
    'dist/index.d.ts',
  ])('the tarball holds %s', (file) => {
    expect(packed.files.map((f) => f.path)).toContain(file)
  })

  it('the tarball holds no tests or sources outside what package.json lists', () => {
    const paths = packed.files.map((f) => f.path)
    expect(paths.some((p) => p.startsWith('test/'))).toBe(false)
    expect(paths.some((p) => p.startsWith('src/'))).toBe(false)
    expect(paths).toContain('bin/pareto.js')
  })
})
