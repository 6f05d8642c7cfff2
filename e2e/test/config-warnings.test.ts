import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFixture } from '../helpers/fixtures.js'
import { REPO_DIR } from '../helpers/paths.js'
import { spawnServer } from '../helpers/process.js'

// A pareto.config.ts written for the original Pareto (configureVite) with a typo (streamTimout): every command
// says what to do about each key, naming the file, and still runs.
const CONFIG = `export default {
  configureVite: (config: object) => config,
  streamTimout: 1500,
}
`
const REMOVED = /\[pareto\] pareto\.config\.ts: configureVite is ignored: .*vite\.config\.ts/
const TYPO = '[pareto] pareto.config.ts: unknown option streamTimout is ignored. Did you mean streamTimeout?'
const count = (text: string, s: string) => text.split(s).length - 1

describe('removed and misspelt keys in pareto.config.ts', () => {
  let dir: string
  let built: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-config-warnings-'))
    mkdirSync(join(dir, 'app'))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'config-warnings', private: true, type: 'module' }))
    writeFileSync(join(dir, 'app/page.tsx'), `export default function Home() {\n  return <h1>home</h1>\n}\n`)
    writeFileSync(join(dir, 'pareto.config.ts'), CONFIG)
    // Package by package, so Vite's dev cache is written in the copy, not in the repository's node_modules.
    mkdirSync(join(dir, 'node_modules/@paretojs'), { recursive: true })
    for (const pkg of ['@paretojs/core', 'react', 'react-dom', 'vite'])
      symlinkSync(join(REPO_DIR, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir')
    built = await buildFixture(dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('pareto build names each key, what replaces it or the key meant, and builds', () => {
    expect(built).toMatch(REMOVED)
    expect(built).toContain(TYPO)
    expect(count(built, 'streamTimout')).toBe(1)
    expect(built).toContain('[pareto] built .pareto')
  })

  it('pareto start says the same once, from the primary, and serves', async () => {
    const server = await spawnServer(dir, ['start', '--port', '0', '--workers', '2'])
    try {
      expect((await fetch(server.url + '/')).status).toBe(200)
      const out = server.output()
      expect(out).toMatch(REMOVED)
      expect(out).toContain(TYPO)
      expect(count(out, 'streamTimout')).toBe(1)
    } finally {
      await server.stop()
    }
  })

  it('pareto dev says the same, and serves', async () => {
    const server = await spawnServer(dir, ['dev', '--port', '0'])
    try {
      expect((await fetch(server.url + '/')).status).toBe(200)
      expect(server.output()).toMatch(REMOVED)
      expect(server.output()).toContain(TYPO)
    } finally {
      await server.stop()
    }
  })
})
