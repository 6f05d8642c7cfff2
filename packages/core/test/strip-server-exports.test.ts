import { describe, expect, it } from 'vitest'
import { LAYOUT_SERVER_EXPORTS, serverExportsOf, stripServerExports } from '../src/vite/strip-server-exports.js'

describe('stripServerExports (client build of page modules)', () => {
  it('removes exported loader and action functions', () => {
    const out = stripServerExports(
      'export function loader() { return db() }\nexport async function action() {}\nexport default function Page() {}',
    )!
    expect(out).not.toMatch(/loader|action|db\(\)/)
    expect(out).toContain('export default function Page')
  })

  it('removes a const loader but keeps other declarators of the same statement', () => {
    const out = stripServerExports('export const loader = () => secret(), other = 3\nexport default 1')!
    expect(out).not.toContain('secret')
    expect(out).toContain('export const other = 3')
  })

  it('removes loader from an export list and keeps the rest', () => {
    const out = stripServerExports('function loader() { return secret() }\nconst x = 1\nexport { loader, x }')!
    expect(out).toContain('export { x }')
    expect(out).not.toMatch(/export \{[^}]*loader/)
  })

  it('leaves modules without server exports alone', () => {
    expect(stripServerExports('export default function Page() { return "loader text" }')).toBeNull()
    expect(stripServerExports('export const a = 1')).toBeNull()
  })

  it('drops what only the loader used: imports, helpers, and helpers of helpers, but not side-effect imports', () => {
    const source = [
      "import Database from 'better-sqlite3'",
      "import { join, sep } from 'node:path'",
      "import { Card } from './card'",
      "import './page.css'",
      'function open() { return new Database(join("data", "db")) }',
      'const query = () => open().prepare("select 1").all()',
      'export async function loader() { return { rows: query(), sep } }',
      'export default function Page() { return Card() }',
    ].join('\n')
    const out = stripServerExports(source)!
    expect(out).not.toMatch(/better-sqlite3|node:path|Database|open\(|query/)
    expect(out).toContain("import { Card } from './card'")
    expect(out).toContain("import './page.css'")
    expect(out).toContain('export default function Page')
  })

  it('keeps a helper the page itself still uses', () => {
    const out = stripServerExports(
      "import { fmt } from './fmt'\nconst label = (n) => fmt(n)\nexport const loader = () => label(1)\nexport default function P() { return label(2) }",
    )!
    expect(out).toContain("import { fmt } from './fmt'")
    expect(out).toContain('const label')
  })
})

describe('stripServerExports: static pages (config, staticParams)', () => {
  it('removes config and staticParams, and what only staticParams imports', () => {
    const source = [
      "import { allSlugs } from '../../lib/slugs.server'",
      "import { Card } from './card'",
      "export const config = { render: 'static' }",
      'export async function staticParams() { return (await allSlugs()).map((slug) => ({ slug })) }',
      'export default function Post() { return Card() }',
    ].join('\n')
    const out = stripServerExports(source)!
    expect(out).not.toMatch(/config|staticParams|allSlugs|slugs\.server|render/)
    expect(out).toContain("import { Card } from './card'")
    expect(out).toContain('export default function Post')
  })

  it('removes config and staticParams from an export list, with their now unused declarations', () => {
    const source = [
      "import { STATIC } from './modes'",
      'const config = { render: STATIC }',
      'const staticParams = () => [{ id: "1" }]',
      'const shown = 1',
      'export { config, staticParams, shown }',
      'export default function P() { return shown }',
    ].join('\n')
    const out = stripServerExports(source)!
    expect(out).toContain('export { shown }')
    expect(out).not.toMatch(/config|staticParams|STATIC|modes/)
  })

  it('keeps an unused declaration whose value runs code when evaluated', () => {
    const source =
      "import { track } from './t'\nconst config = { render: track() }\nexport { config }\nexport default 1"
    const out = stripServerExports(source)!
    expect(out).not.toMatch(/export \{[^}]*config/)
    // Dropping it would skip track()'s effect; the bundler decides about it, as for any module code.
    expect(out).toContain('track()')
  })

  it('leaves a page without server exports alone (names in strings or JSX text do not count)', () => {
    expect(stripServerExports('export default function Page() { return "the config of staticParams" }')).toBeNull()
  })
})

describe('stripServerExports: layouts (loader, action)', () => {
  it('removes a layout loader and action and what only they import, and keeps config (layouts have none)', () => {
    const source = [
      "import { session } from '../lib/session.server'",
      "import { Nav } from './nav'",
      'export async function loader(ctx) { return { user: await session(ctx) } }',
      'export async function action() { return null }',
      "export const config = { note: 'not a server export of a layout' }",
      'export default function Layout({ children }) { return Nav(children) }',
    ].join('\n')
    const out = stripServerExports(source, LAYOUT_SERVER_EXPORTS)!
    expect(out).not.toMatch(/loader|action|session/)
    expect(out).toContain("import { Nav } from './nav'")
    expect(out).toContain('export const config')
  })

  it('knows pages and layouts of the app directory by file name, and nothing else', () => {
    const app = '/p/app'
    expect(serverExportsOf('/p/app/blog/page.tsx', app)?.has('staticParams')).toBe(true)
    expect(serverExportsOf('/p/app/blog/layout.tsx?v=1', app)?.has('loader')).toBe(true)
    expect(serverExportsOf('/p/app/blog/layout.tsx', app)?.has('config')).toBe(false)
    expect(serverExportsOf('/p/app/blog/card.tsx', app)).toBeUndefined()
    expect(serverExportsOf('/p/lib/page.tsx', app)).toBeUndefined()
  })
})
