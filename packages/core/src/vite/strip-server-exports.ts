import { parseAst } from 'vite'
import type { Plugin } from 'vite'

/** Exports of a page module that only the server may run. */
const SERVER_EXPORTS = new Set(['loader', 'action'])

interface Node {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

type Declarator = Node & { id: Node & { name?: string } }

/**
 * Removes `loader`/`action` exports from JavaScript source so they (and whatever only they import)
 * fall out of the client bundle. Returns null when there is nothing to remove.
 */
export function stripServerExports(code: string): string | null {
  if (!/\b(loader|action)\b/.test(code)) return null
  const ast = parseAst(code) as unknown as { body: Node[] }
  const edits: { start: number; end: number; text: string }[] = []
  for (const node of ast.body) {
    if (node.type !== 'ExportNamedDeclaration') continue
    const decl = node.declaration as Node | null
    if (decl?.type === 'FunctionDeclaration' || decl?.type === 'ClassDeclaration') {
      const name = (decl.id as Node & { name: string } | null)?.name
      if (name && SERVER_EXPORTS.has(name)) edits.push({ start: node.start, end: node.end, text: '' })
    } else if (decl?.type === 'VariableDeclaration') {
      const declarators = decl.declarations as Declarator[]
      const kept = declarators.filter((d) => !(d.id.type === 'Identifier' && SERVER_EXPORTS.has(d.id.name!)))
      if (kept.length === declarators.length) continue
      const text = kept.length ? `export ${String(decl.kind)} ${kept.map((d) => code.slice(d.start, d.end)).join(', ')};` : ''
      edits.push({ start: node.start, end: node.end, text })
    } else if (!decl && Array.isArray(node.specifiers) && !node.source) {
      const specs = node.specifiers as (Node & { exported: Node & { name?: string; value?: string } })[]
      const kept = specs.filter((s) => !SERVER_EXPORTS.has(s.exported.name ?? s.exported.value ?? ''))
      if (kept.length === specs.length) continue
      edits.push({ start: node.start, end: node.end, text: kept.length ? `export { ${kept.map((s) => code.slice(s.start, s.end)).join(', ')} };` : '' })
    }
  }
  if (!edits.length) return null
  let out = code
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end)
  return out
}

/** Keeps loaders and actions (and their server-only imports) out of the browser: strips them from page modules in the client build. */
export function stripServerExportsPlugin(appDirAbs: string): Plugin {
  const isPage = (id: string) => id.startsWith(appDirAbs + '/') && /\/page\.[cm]?[jt]sx?$/.test(id.split('?')[0])
  return {
    name: 'pareto:strip-server-exports',
    enforce: 'post',
    applyToEnvironment: (env) => env.config.consumer === 'client',
    transform(code, id) {
      if (!isPage(id)) return null
      const out = stripServerExports(code)
      return out === null ? null : { code: out, map: null }
    },
  }
}
