import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { nodeRenderer } from '../src/node/render.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { transformWithOxc } from 'vite'
import type { ViteDevServer } from 'vite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { resolveConfig } from '../src/config.js'
import { setErrorLocator, toPublicError } from '../src/data/errors.js'
import type { RouteTable } from '../src/routes/types.js'
import { devServerEntryCode } from '../src/vite/dev-entry.js'
import { codeFrame, createBrowserErrorLocator } from '../src/vite/dev-errors.js'
import { serverEntryCode } from '../src/vite/virtual.js'
import { errorPlan } from '../src/server/plan.js'
import type { ServerBuild } from '../src/server/build-types.js'

describe('codeFrame', () => {
  const source = 'one\ntwo\n  three(4)\nfour\nfive\nsix\n'

  it('numbers the lines around the position, marks the line and puts a caret under the column', () => {
    expect(codeFrame(source, 3, 8)).toBe(
      ['  1 | one', '  2 | two', '> 3 |   three(4)', '    |        ^', '  4 | four', '  5 | five'].join('\n'),
    )
  })

  it('stops at the first and last lines, without the empty one after the final newline', () => {
    expect(codeFrame(source, 1, 1).split('\n')[0]).toBe('> 1 | one')
    expect(codeFrame(source, 6, 1).split('\n').slice(-2)).toEqual(['> 6 | six', '    | ^'])
  })

  it('keeps tabs under the caret, so it lines up however wide tabs are shown', () => {
    expect(codeFrame('\tx = 1', 1, 2)).toBe('> 1 | \tx = 1\n    | \t^')
  })

  it('widens the gutter for two-digit line numbers', () => {
    const long = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n')
    expect(codeFrame(long, 10, 1).split('\n')).toContain('> 10 | line 10')
    expect(codeFrame(long, 10, 1).split('\n')).toContain('   8 | line 8')
  })
})

describe('toPublicError with the dev server locator', () => {
  const source = { file: 'app/page.tsx', line: 4, column: 9, frame: '> 4 | throw new Error()' }
  afterEach(() => setErrorLocator(undefined))

  it('adds the source in development, plain text, and never in production', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    setErrorLocator(() => source)
    const dev = toPublicError(new Error('\u001b[31mred\u001b[0m'), true, 'x')
    expect(dev.source).toEqual(source)
    expect(dev.message).toBe('red')
    expect(toPublicError(new Error('secret'), false, 'x').source).toBeUndefined()
    vi.restoreAllMocks()
  })

  it('prints the location and frame in the terminal line of the error', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    setErrorLocator(() => source)
    toPublicError(new Error('boom'), true, 'loader of app/page.tsx failed for GET /')
    expect(log.mock.calls[0][0]).toContain('app/page.tsx:4:9\n> 4 | throw new Error()\n\nError: boom')
    vi.restoreAllMocks()
  })
})

describe('devServerEntryCode', () => {
  let dir = ''
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('lets a broken route file fail only its own exports, and keeps the error page a plain import', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-dev-entry-'))
    writeFileSync(join(dir, 'good.js'), 'export default function Good() {}\nexport const loader = () => 1\n')
    writeFileSync(join(dir, 'bad.js'), 'export default function Bad( {\n')
    writeFileSync(join(dir, 'error.js'), 'export default function ErrorPage() {}\n')
    const table: RouteTable = {
      routes: [
        { id: '/', kind: 'page', segments: [], file: 'good.js', layouts: [], heads: [] },
        { id: '/bad', kind: 'page', segments: [], file: 'bad.js', layouts: [], heads: [] },
      ],
      error: 'error.js',
    }
    const code = serverEntryCode(table, dir, resolveConfig(), undefined)
    const dev = devServerEntryCode(code, [`${dir}/error.js`])
    expect(dev).toContain(`import * as m2 from ${JSON.stringify(`${dir}/error.js`)}`)
    writeFileSync(join(dir, 'entry.mjs'), dev)
    const entry = (await import(pathToFileURL(join(dir, 'entry.mjs')).href)) as {
      modules: Record<string, Record<string, () => unknown>>
    }
    expect(entry.modules['good.js'].loader()).toBe(1)
    // The load error itself, the same for every export, so the error page can point at the broken line.
    const thrown = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        return error
      }
      throw new Error('did not throw')
    }
    const error = thrown(entry.modules['bad.js'].loader)
    expect(error).toBeInstanceOf(Error)
    expect(thrown(entry.modules['bad.js'].default)).toBe(error)
    expect(typeof entry.modules['error.js'].default).toBe('function')
  })

  it('leaves an entry without route imports as it is', () => {
    expect(devServerEntryCode('export const table = {}\n', [])).toBe('export const table = {}\n')
  })
})

describe('createBrowserErrorLocator', () => {
  let dir = ''
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("maps a browser stack through the served module's source map to the source line, column and frame", async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-browser-locate-'))
    mkdirSync(join(dir, 'app'))
    const file = join(dir, 'app/page.tsx')
    const source = [
      'type P = { value: number }',
      '',
      'export function Gauge({ value }: P): never {',
      '  throw new Error(`gauge ${value}`)',
      '}',
      '',
      'export default function Page() {',
      '  return <Gauge value={1} />',
      '}',
      '',
    ].join('\n')
    writeFileSync(file, source)
    // What Vite serves: the types gone, a JSX import on top, tabs; positions differ from the source.
    const served = await transformWithOxc(source, file, { sourcemap: true })
    const lines = served.code.split('\n')
    const line = lines.findIndex((l) => l.includes('new Error')) + 1
    const column = lines[line - 1].indexOf('new Error') + 1
    expect(line).not.toBe(4)
    const mod = { file, transformResult: { code: served.code, map: served.map } }
    const vite = {
      environments: {
        client: {
          moduleGraph: { getModuleByUrl: async (url: string) => (url === '/app/page.tsx?t=7' ? mod : undefined) },
        },
      },
    } as unknown as ViteDevServer
    const locate = createBrowserErrorLocator(vite, dir)
    const expected = { file: 'app/page.tsx', line: 4, column: 9 }
    const chrome = `Error: gauge 1\n    at Gauge (http://localhost:3000/app/page.tsx?t=7:${line}:${column})`
    const found = await locate(
      `${chrome}\n    at x (http://localhost:3000/node_modules/.vite/deps/react-dom.js?v=1:9:9)`,
    )
    expect(found).toMatchObject(expected)
    expect(found?.frame).toContain('> 4 |   throw new Error(`gauge ${value}`)')
    // Firefox and Safari write `fn@url:line:column`.
    expect(await locate(`Gauge@http://localhost:3000/app/page.tsx?t=7:${line}:${column}`)).toMatchObject(expected)
    expect(await locate('Error: gauge 1\n    at http://localhost:3000/elsewhere.js:1:1')).toBeUndefined()
  })
})

describe('the error an error page is shown', () => {
  const build = { table: { routes: [] }, modules: {}, config: resolveConfig() } as unknown as ServerBuild
  const env = { build, bootstrapModules: [], dev: false, renderer: nodeRenderer }

  it('is the same on the server as in the browser: the source when sent, and no stack of its own', () => {
    const source = { file: 'app/page.tsx', line: 4, column: 9, frame: '> 4 | throw new Error()' }
    const dev = errorPlan(
      env,
      { name: 'TypeError', message: 'boom', digest: 'abc', stack: 'TypeError: boom', source },
      true,
    )
    expect(dev.view.kind === 'error' && dev.view.error).toMatchObject({ name: 'TypeError', digest: 'abc', source })
    // Production sends no stack: one made on the server would show Pareto's own files on the built-in error page.
    const prod = errorPlan(env, { name: 'Error', message: 'An error occurred on the server.', digest: 'abc' }, true)
    expect(prod.view.kind === 'error' && prod.view.error.stack).toBe('')
  })
})
