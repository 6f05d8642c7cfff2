import { describe, expect, it } from 'vitest'
import { stripServerExports } from '../src/vite/strip-server-exports.js'

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
