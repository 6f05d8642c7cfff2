import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixture } from '../helpers/fixtures.js'
import { CLI, FIXTURE, REPO_DIR } from '../helpers/paths.js'

// Each case edits its own copy of the basic fixture, so the shared build other files serve stays untouched.
const copies: string[] = []

/** A copy of the basic fixture, without its build, resolving packages from the repo's node_modules. */
function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pareto-build-report-'))
  copies.push(dir)
  cpSync(FIXTURE, dir, {
    recursive: true,
    filter: (src) => !['node_modules', '.pareto'].includes(relative(FIXTURE, src)),
  })
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return dir
}

/** Runs `pareto build` in a folder and resolves with its exit code and output, failing or not. */
function runBuild(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [CLI, 'build'], { cwd: dir }, (error, stdout, stderr) =>
      ok({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    )
  })
}

afterAll(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true })
})

const SIZE = String.raw`\d+(\.\d+)? (B|kB|MB)`
const row = (route: string) => new RegExp(`^${route.replace(/[[\]().]/g, '\\$&')}\\s+${SIZE}\\s+${SIZE}\\s`, 'm')

/** Strings found only in dev-only code, each with the compiled core file the client build bundles it from. */
const DEV_ONLY: [file: string, text: string][] = [
  ['client/dev-errors.js', '/@pareto/dev-errors'],
  ['shared/dev-events.js', 'pareto:locate'],
  ['shared/dev-events.js', 'pareto:code-changed'],
  ['render/builtin.js', 'data-pareto-error-location'],
  ['client/start.js', 'deferred data rejected and was caught by a boundary'],
]

describe('pareto build report', () => {
  let output: string
  let dir: string
  beforeAll(async () => {
    dir = copyFixture()
    output = await buildFixture(dir)
  })

  it('prints one line per page route with its first-load JS, raw and gzip', () => {
    expect(output).toMatch(/^First load\s+JS\s+gzip\s+CSS\s+gzip$/m)
    for (const route of ['/', '/blog/[slug]', '/docs/[...rest]', '/pricing', '/counter'])
      expect(output).toMatch(row(route))
    // resource routes load no JavaScript in the browser
    expect(output).not.toMatch(/^\/api\//m)
  })

  it('ends with the totals line', () => {
    expect(output).toMatch(new RegExp(`^total \\(shared files once\\)\\s+${SIZE}\\s+${SIZE}\\s`, 'm'))
  })

  it("replaces Vite's list of emitted files, and the fixture stays under the default threshold", () => {
    expect(output).not.toContain('modules transformed')
    expect(output).not.toMatch(/assets\/client-entry-\w+\.js/)
    expect(output).not.toContain('⚠')
  })

  it('the client build holds no dev-only code: no dev-errors chunk, none of its strings or warnings', () => {
    const out = join(dir, '.pareto/client')
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))
    expect(files.filter((f) => /(^|\/)dev-errors/.test(f))).toEqual([])
    const client = files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n')
    // The search does read the code of the modules the dev-only parts live in.
    expect(client).toContain('500 — Something went wrong')
    expect(client).toContain('the navigation code failed to load')
    for (const [file, text] of DEV_ONLY) {
      // Each string is really in the code the client build starts from, so its absence is the build's doing.
      expect(readFileSync(join(REPO_DIR, 'packages/core/dist', file), 'utf8')).toContain(text)
      expect(client, `${text} (from ${file})`).not.toContain(text)
    }
  })
})

describe('firstLoadJsWarning', () => {
  it('a route over the threshold set with defineConfig() gets a warning naming it and the threshold', async () => {
    const dir = copyFixture()
    writeFileSync(
      join(dir, 'pareto.config.ts'),
      `import { defineConfig } from '@paretojs/core'\n\nexport default defineConfig({ firstLoadJsWarning: 1 })\n`,
    )
    const output = await buildFixture(dir)
    expect(output).toMatch(
      /^⚠ \/counter loads .* kB of JavaScript \(gzip\) on first visit, over the 1 kB firstLoadJsWarning threshold/m,
    )
    expect(output).toMatch(/^⚠ \/blog\/\[slug\] loads /m)
    // the report is still printed in full
    expect(output).toMatch(row('/counter'))
  })
})

describe('route-convention errors stop the build', () => {
  it('a page without a default export: non-zero exit, naming the file and the fix', async () => {
    const dir = copyFixture()
    mkdirSync(join(dir, 'app/no-default'))
    writeFileSync(join(dir, 'app/no-default/page.tsx'), 'export function NoDefault() {\n  return <p>hi</p>\n}\n')
    const { code, output } = await runBuild(dir)
    expect(code).not.toBe(0)
    expect(output).toContain('app/no-default/page.tsx has no default export')
    expect(output).toContain('export default function Page()')
  })

  it('an action exported from a layout: non-zero exit, naming the layout', async () => {
    const dir = copyFixture()
    writeFileSync(
      join(dir, 'app/(marketing)/layout.tsx'),
      'export function action() {\n  return {}\n}\n\nexport default function L({ children }: { children: React.ReactNode }) {\n  return children\n}\n',
    )
    const { code, output } = await runBuild(dir)
    expect(code).not.toBe(0)
    expect(output).toContain('app/(marketing)/layout.tsx exports an action')
  })
})
