import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadAppFile } from '../src/node/app-file.js'

const dir = mkdtempSync(join(tmpdir(), 'pareto-app-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('loadAppFile (the appFile of startProductionServer)', () => {
  it('returns the default export when it is a (req, res, next) function', async () => {
    const path = file('ok.mjs', 'export default function app(req, res, next) { next() }\n')
    const app = await loadAppFile(path)
    expect(typeof app).toBe('function')
    expect(app.name).toBe('app')
  })

  it('names the file when it does not exist', async () => {
    await expect(loadAppFile(join(dir, 'nope.mjs'))).rejects.toThrow(/app file .*nope\.mjs does not exist/)
  })

  it('names the file and what it exports when the default export is not a function', async () => {
    await expect(loadAppFile(file('none.mjs', 'export const app = 1\n'))).rejects.toThrow(
      /none\.mjs must default-export an Express app .*missing/,
    )
    await expect(loadAppFile(file('object.mjs', 'export default { use() {} }\n'))).rejects.toThrow(
      /object\.mjs must default-export .*object/,
    )
  })

  it('names the file when importing it throws', async () => {
    await expect(loadAppFile(file('throws.mjs', 'throw new Error("db url missing")\n'))).rejects.toThrow(
      /importing the app file .*throws\.mjs failed: db url missing/,
    )
  })
})
