import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_DIR } from '../helpers/paths.js'

/*
 * Every ```ts and ```tsx block of the docs (packages/core/docs/*.md, and the READMEs) is type-checked as a file
 * of a new app: the create-pareto template's tsconfig.json, @paretojs/core as built from this workspace, and
 * the workspace's packages (react, vite, express…) as the app's dependencies.
 *
 * - A block whose first line is a comment naming a file (`// app/blog/[slug]/page.tsx`, `// pareto.config.ts`)
 *   is written at that path, so its relative imports and its kind of file are real. The named blocks of one
 *   page form one app, in order; a block naming a file the page already wrote starts another app.
 * - Any other block is a module of its own.
 * - A block that is meant to be partial (it uses names from an earlier block, or shows JSX out of context)
 *   is marked in its fence: ```tsx fragment (or ```ts fragment). It is not compiled.
 *
 * All blocks go to one `tsc --noEmit` run. A new page in docs/ is picked up by itself.
 */

interface Block {
  doc: string // path of the markdown file, from the repository root
  line: number // line of the opening fence
  lang: 'ts' | 'tsx'
  code: string
  file?: string // the path its first-line comment names
}

const FENCE_OPEN = /^```(tsx?)(?:[ \t]+(.*))?$/
const NAMED = /^\/\/ ((?:[\w.@()[\]-]+\/)*[\w.@()[\]-]+\.(?:tsx?|mts|d\.ts))\s*$/

/** The ts/tsx blocks of a markdown text, minus those marked `fragment`. */
function extractBlocks(doc: string, text: string): { blocks: Block[]; fragments: number } {
  const lines = text.split('\n')
  const blocks: Block[] = []
  let fragments = 0
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]!.trimEnd())
    if (!open) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!)
    if (/\bfragment\b/.test(open[2] ?? '')) {
      fragments++
      continue
    }
    const named = NAMED.exec(body[0] ?? '')
    blocks.push({ doc, line: start + 1, lang: open[1] as 'ts' | 'tsx', code: body.join('\n') + '\n', file: named?.[1] })
  }
  return { blocks, fragments }
}

/** The markdown files whose code a newcomer copies: every page of the docs, and the READMEs. */
function docFiles(): string[] {
  const docs = join(REPO_DIR, 'packages/core/docs')
  return [
    'README.md',
    'packages/core/README.md',
    'packages/create-pareto/README.md',
    ...readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `packages/core/docs/${f}`),
  ]
}

/** Lays the blocks out as files of apps under `root`; returns each written file with the block it holds. */
function writeBlocks(root: string, blocks: Block[]): Map<string, Block> {
  const written = new Map<string, Block>()
  const appsOf = new Map<string, Set<string>[]>()
  for (const b of blocks) {
    const slug = b.doc.replace(/[^\w]+/g, '_')
    let path: string
    if (b.file) {
      const apps = appsOf.get(b.doc) ?? []
      appsOf.set(b.doc, apps)
      let n = apps.findIndex((taken) => !taken.has(b.file!))
      if (n === -1) n = apps.push(new Set()) - 1
      apps[n]!.add(b.file)
      path = join(root, `${slug}_${n}`, b.file)
    } else path = join(root, `${slug}_blocks`, `line${b.line}.${b.lang}`)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, b.code)
    written.set(path, b)
  }
  return written
}

/** Runs tsc once over the apps; returns its diagnostics as "doc:line: message", mapped to the markdown. */
async function typecheck(root: string, written: Map<string, Block>): Promise<string[]> {
  const template = JSON.parse(
    readFileSync(join(REPO_DIR, 'packages/create-pareto/template/tsconfig.json'), 'utf8'),
  ) as { compilerOptions: Record<string, unknown> }
  const tsconfig = {
    // A block with no import or export is still a module of its own, not a script sharing one global scope.
    compilerOptions: { ...template.compilerOptions, moduleDetection: 'force' },
    files: [...written.keys()].map((f) => relative(root, f)),
  }
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  const tsc = createRequire(join(REPO_DIR, 'package.json')).resolve('typescript/bin/tsc')
  const run = await promisify(execFile)(process.execPath, [tsc, '-p', root, '--pretty', 'false'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? '',
  }))
  const problems: string[] = []
  for (const line of (run.stdout + run.stderr).split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line)
    if (!m) {
      if (line.trim() && !line.startsWith(' ')) problems.push(line)
      continue
    }
    const block = written.get(join(root, m[1]!))
    if (!block) problems.push(line)
    else problems.push(`${block.doc}:${block.line + Number(m[2])} (\`\`\`${block.lang} block): ${m[4]}`)
  }
  return problems
}

describe('code blocks in the docs', () => {
  let root: string
  let blocks: Block[] = []
  let fragments = 0
  let problems: string[] = []
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'pareto-docs-code-'))
    // The app's dependencies are the workspace's: @paretojs/core as built here, react, vite, express…
    symlinkSync(join(REPO_DIR, 'node_modules'), join(root, 'node_modules'), 'dir')
    for (const doc of docFiles()) {
      const found = extractBlocks(doc, readFileSync(join(REPO_DIR, doc), 'utf8'))
      blocks.push(...found.blocks)
      fragments += found.fragments
    }
    // Positive control, checked in the same run: a mistake in a named block and in an unnamed one are reported;
    // one in a fragment is not.
    const control = extractBlocks(
      'control.md',
      '```tsx\n// app/page.tsx\nexport default function Page() {\n  return <p>{missingName}</p>\n}\n```\n\n' +
        '```ts\nconst n: number = "one"\n```\n\n```tsx fragment\n<Link href="/">{undefinedName}</Link>\n```\n',
    )
    expect(control.fragments).toBe(1)
    blocks = [...blocks, ...control.blocks]
    problems = await typecheck(root, writeBlocks(root, blocks))
  }, 120_000)
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('finds the blocks, named ones among them', () => {
    expect(blocks.length).toBeGreaterThan(30)
    expect(blocks.filter((b) => b.file).length).toBeGreaterThan(10)
    // Fragments are the exception: each is a block nobody can copy as it is.
    expect(fragments).toBeLessThan(10)
  })

  it('reports a mistake at its line in the markdown (control)', () => {
    expect(problems.filter((p) => p.startsWith('control.md'))).toEqual([
      expect.stringMatching(/^control\.md:4 \(```tsx block\): error TS2304: Cannot find name 'missingName'/),
      expect.stringMatching(/^control\.md:9 \(```ts block\): error TS2322: /),
    ])
  })

  it('every block type-checks in a new app, or is marked ```tsx fragment', () => {
    expect(problems.filter((p) => !p.startsWith('control.md'))).toEqual([])
  })
})

// The package README's "Import paths" table lists every export of every entry point.
describe('the package README', () => {
  const entries: [string, string][] = [
    ['@paretojs/core', 'index.ts'],
    ['@paretojs/core/node', 'node.ts'],
    ['@paretojs/core/client', 'client.ts'],
    ['@paretojs/core/store', 'store/index.ts'],
  ]
  const readme = readFileSync(join(REPO_DIR, 'packages/core/README.md'), 'utf8')

  it.each(entries)('names every export of %s (src/%s)', (path, file) => {
    const source = readFileSync(join(REPO_DIR, 'packages/core/src', file), 'utf8')
    const names = [...source.matchAll(/^export (?:type )?\{([^}]*)\}/gm)].flatMap((m) =>
      m[1]!
        .split(',')
        .map((n) =>
          n
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
        )
        .filter(Boolean),
    )
    expect(names.length).toBeGreaterThan(0)
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${path}\` |`))
    expect(row, `packages/core/README.md has no row for ${path}`).toBeDefined()
    expect(names.filter((n) => !row!.includes(`\`${n}\``))).toEqual([])
  })

  it('names every option of the CLI', () => {
    const cli = readFileSync(join(REPO_DIR, 'packages/core/src/cli/index.ts'), 'utf8')
    const flags = [...cli.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!).filter((f) => f !== '--help')
    expect(flags).toContain('--workers')
    expect(flags.filter((f) => !readme.includes(f))).toEqual([])
  })
})
