import { describe, expect, it } from 'vitest'
import type { Rolldown } from 'vite'
import { BUILD_ID_PLACEHOLDER, stampBuildId } from '../src/vite/build-id.js'

/** A client bundle as `generateBundle` sees it: the entry (holding the placeholder), a route chunk, a stylesheet. */
function bundle(page = 'export default function Page(){}'): Rolldown.OutputBundle {
  const chunk = (fileName: string, code: string) => ({ type: 'chunk', fileName, code }) as Rolldown.OutputChunk
  const asset = (fileName: string, source: string) => ({ type: 'asset', fileName, source }) as Rolldown.OutputAsset
  return {
    'assets/client-entry-a.js': chunk('assets/client-entry-a.js', `startClient({build:"${BUILD_ID_PLACEHOLDER}"})`),
    'assets/page-b.js': chunk('assets/page-b.js', page),
    'assets/globals-c.css': asset('assets/globals-c.css', 'body{margin:0}'),
    '.vite/manifest.json': asset('.vite/manifest.json', `{"at":${Math.random()}}`),
  }
}

const entryCode = (b: Rolldown.OutputBundle) => (b['assets/client-entry-a.js'] as Rolldown.OutputChunk).code

describe('stampBuildId', () => {
  it('names the same client files with the same id, whatever the manifest says, and writes it into the entry', () => {
    const first = bundle()
    const id = stampBuildId(first, 'assets/client-entry-a.js')
    expect(id).toMatch(/^[0-9a-f]{16}$/)
    expect(id).toHaveLength(BUILD_ID_PLACEHOLDER.length)
    expect(entryCode(first)).toBe(`startClient({build:"${id}"})`)
    expect(stampBuildId(bundle(), 'assets/client-entry-a.js')).toBe(id)
  })

  it('gives a build whose route code changed another id', () => {
    const id = stampBuildId(bundle(), 'assets/client-entry-a.js')
    expect(stampBuildId(bundle('export default function Page(){return 1}'), 'assets/client-entry-a.js')).not.toBe(id)
  })

  it('fails as a Pareto bug when the entry does not hold the placeholder once', () => {
    const b = bundle()
    ;(b['assets/client-entry-a.js'] as Rolldown.OutputChunk).code = 'startClient({})'
    expect(() => stampBuildId(b, 'assets/client-entry-a.js')).toThrow(/placeholder once; found it 0 times.*Pareto bug/)
  })
})
