import { describe, expect, it } from 'vitest'
import { stripServerExports } from '../src/vite/strip-server-exports.js'

describe('stripServerExports (client build of page modules)', () => {
  it('removes exported loader and action functions', () => {
    const out = stripServerExports('export function loader() { return db() }\nexport async function action() {}\nexport default function Page() {}')!
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
})
