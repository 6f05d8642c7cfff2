import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configWarnings, resolveConfig } from '../src/config.js'
import type { ParetoConfig } from '../src/config.js'
import { loadParetoConfig } from '../src/vite/load-config.js'

/** A config with a value TypeScript would refuse, as a JavaScript config file may hold. */
const loose = (config: Record<string, unknown>) => config as ParetoConfig

describe('resolveConfig', () => {
  it('fills in every default', () => {
    expect(resolveConfig({})).toEqual({
      appDir: 'app',
      outDir: '.pareto',
      wkWebViewFlushHint: false,
      streamTimeout: 5000,
      earlyHints: false,
      shellBudget: 20,
      firstLoadJsWarning: 150,
      trustProxy: false,
      allowedOrigins: [],
      bodyLimit: 1_048_576,
      viewTransitions: false,
    })
  })

  it('keeps early hints off unless asked for (nginx before 1.29 takes a 103 for the response)', () => {
    expect(resolveConfig({}).earlyHints).toBe(false)
    expect(resolveConfig({ earlyHints: true }).earlyHints).toBe(true)
  })

  it('keeps the values it is given', () => {
    const config = resolveConfig({
      trustProxy: true,
      allowedOrigins: ['https://example.com', 'http://localhost:5173'],
      bodyLimit: 10_000_000,
      viewTransitions: true,
    })
    expect(config).toMatchObject({
      trustProxy: true,
      allowedOrigins: ['https://example.com', 'http://localhost:5173'],
      bodyLimit: 10_000_000,
      viewTransitions: true,
    })
  })

  it.each([
    [{ earlyHints: 'yes' }, 'pareto.config.ts: earlyHints must be true or false'],
    [{ trustProxy: 1 }, 'pareto.config.ts: trustProxy must be true or false.'],
    [{ viewTransitions: 'on' }, 'pareto.config.ts: viewTransitions must be true or false.'],
    [{ allowedOrigins: 'https://example.com' }, 'pareto.config.ts: allowedOrigins must be an array of origins'],
    [{ bodyLimit: 0 }, 'pareto.config.ts: bodyLimit must be a whole number of bytes above 0'],
    [{ bodyLimit: 1.5 }, 'pareto.config.ts: bodyLimit must be a whole number of bytes above 0'],
    [{ bodyLimit: '1mb' }, 'pareto.config.ts: bodyLimit must be a whole number of bytes above 0'],
  ])('rejects %j, naming the file and the option', (config, message) => {
    expect(() => resolveConfig(loose(config))).toThrow(message)
  })

  it.each([
    'https://example.com/',
    'https://example.com/path',
    'example.com',
    '*.example.com',
    'ftp://example.com',
    'https://Example.com',
    'https://example.com:443',
    42,
  ])('rejects %j in allowedOrigins, saying how an origin is written', (origin) => {
    expect(() => resolveConfig(loose({ allowedOrigins: ['https://ok.example', origin] })), String(origin)).toThrow(
      /^pareto\.config\.ts: allowedOrigins has .* which is not an origin: write the scheme, host and port only, e\.g\. 'https:\/\/example\.com'/,
    )
  })

  it('names the file it was given', () => {
    expect(() => resolveConfig(loose({ bodyLimit: -1 }), 'pareto.config.mjs')).toThrow(
      /^pareto\.config\.mjs: bodyLimit/,
    )
  })
})

describe('configWarnings', () => {
  it('says nothing about known options', () => {
    expect(
      configWarnings({ appDir: 'src/app', earlyHints: true, allowedOrigins: [], bodyLimit: 1, viewTransitions: true }),
    ).toEqual([])
  })

  it("names what replaces the original Pareto's configureVite and configureServer", () => {
    const [vite, server] = configWarnings({ configureVite: () => ({}), configureServer: () => {} })
    expect(vite).toBe(
      'pareto.config.ts: configureVite is ignored: it was removed from Pareto; put Vite options and plugins in a vite.config.ts next to it; Pareto merges it in dev and build.',
    )
    expect(server).toMatch(/^pareto\.config\.ts: configureServer is ignored: .*export an Express app from an app\.ts/)
  })

  it('maps the Rspack-era options to theirs', () => {
    const out = configWarnings({ pageDir: 'pages', distDir: 'dist', configureRspack: () => {}, enableSpa: true })
    expect(out[0]).toContain('pageDir is ignored: it was removed from Pareto; rename it to appDir')
    expect(out[1]).toContain('distDir is ignored: it was removed from Pareto; rename it to outDir')
    expect(out[2]).toContain('configureRspack is ignored')
    expect(out[2]).toContain('vite.config.ts')
    expect(out[3]).toContain('enableSpa is ignored')
  })

  it.each([
    ['streamTimout', 'streamTimeout'],
    ['earlyhints', 'earlyHints'],
    ['shellBugdet', 'shellBudget'],
    ['firstLoadJSWarnings', 'firstLoadJsWarning'],
    ['allowedOrigin', 'allowedOrigins'],
    ['appdir', 'appDir'],
    ['bodylimit', 'bodyLimit'],
    ['viewTransition', 'viewTransitions'],
  ])('suggests the nearest option for the typo %s', (typo, meant) => {
    expect(configWarnings({ [typo]: 1 }, 'pareto.config.js')).toEqual([
      `pareto.config.js: unknown option ${typo} is ignored. Did you mean ${meant}?`,
    ])
  })

  it('lists the options when nothing is close', () => {
    const [warning] = configWarnings({ port: 3000 })
    expect(warning).toMatch(/^pareto\.config\.ts: unknown option port is ignored\. The options are: appDir, outDir, /)
    expect(warning).not.toContain('Did you mean')
  })

  it('takes nothing from the prototype chain for a key named like one of its members', () => {
    expect(configWarnings(JSON.parse('{"constructor": 1, "toString": 2}') as object)).toEqual([
      expect.stringContaining('unknown option constructor is ignored'),
      expect.stringContaining('unknown option toString is ignored'),
    ])
  })
})

describe('loadParetoConfig', () => {
  let dir: string | undefined
  afterEach(() => {
    vi.restoreAllMocks()
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('prints a warning per removed or misspelt key and goes on with the rest of the config', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-config-'))
    writeFileSync(
      join(dir, 'pareto.config.ts'),
      `export default {\n  outDir: 'out',\n  configureVite: (config: object) => config,\n  streamTimout: 100,\n}\n`,
    )
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const config = await loadParetoConfig(dir, 'build', 'runner')
    expect(config.outDir).toBe('out')
    expect(config.streamTimeout).toBe(5000)
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^\[pareto\] pareto\.config\.ts: configureVite is ignored: .*vite\.config\.ts/),
      '[pareto] pareto.config.ts: unknown option streamTimout is ignored. Did you mean streamTimeout?',
    ])
  })

  it('prints nothing for a clean config or none at all', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-config-'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await loadParetoConfig(dir, 'build')
    writeFileSync(join(dir, 'pareto.config.mjs'), `export default { streamTimeout: 100, earlyHints: true }\n`)
    expect((await loadParetoConfig(dir, 'build', 'runner')).earlyHints).toBe(true)
    expect(warn).not.toHaveBeenCalled()
  })
})
