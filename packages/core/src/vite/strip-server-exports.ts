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
      const name = (decl.id as (Node & { name: string }) | null)?.name
      if (name && SERVER_EXPORTS.has(name)) edits.push({ start: node.start, end: node.end, text: '' })
    } else if (decl?.type === 'VariableDeclaration') {
      const declarators = decl.declarations as Declarator[]
      const kept = declarators.filter((d) => !(d.id.type === 'Identifier' && SERVER_EXPORTS.has(d.id.name!)))
      if (kept.length === declarators.length) continue
      const text = kept.length
        ? `export ${String(decl.kind)} ${kept.map((d) => code.slice(d.start, d.end)).join(', ')};`
        : ''
      edits.push({ start: node.start, end: node.end, text })
    } else if (!decl && Array.isArray(node.specifiers) && !node.source) {
      const specs = node.specifiers as (Node & { exported: Node & { name?: string; value?: string } })[]
      const kept = specs.filter((s) => !SERVER_EXPORTS.has(s.exported.name ?? s.exported.value ?? ''))
      if (kept.length === specs.length) continue
      edits.push({
        start: node.start,
        end: node.end,
        text: kept.length ? `export { ${kept.map((s) => code.slice(s.start, s.end)).join(', ')} };` : '',
      })
    }
  }
  if (!edits.length) return null
  // What only the loader used (a database driver, say) goes too: a module with top-level side effects would
  // otherwise stay in the client bundle, and run there.
  return dropUnreferenced(applyEdits(code, edits))
}

type Edit = { start: number; end: number; text: string }

function applyEdits(code: string, edits: Edit[]): string {
  let out = code
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end)
  return out
}

/** Counts every identifier in a subtree; counting too many (a property of the same name) only keeps code. */
function mentions(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) mentions(n, out)
  } else if (node && typeof node === 'object') {
    const n = node as Node
    if (n.type === 'Identifier') out.add(n.name as string)
    for (const k in n) if (k !== 'type' && k !== 'start' && k !== 'end') mentions(n[k], out)
  }
  return out
}

const FUNCTION_VALUE = new Set(['ArrowFunctionExpression', 'FunctionExpression'])

/**
 * Drops imported bindings, function declarations and `const f = () => …` that nothing references any more,
 * until none is left. Imports without bindings (`import './x.css'`) stay: they are there for their effects.
 */
export function dropUnreferenced(code: string): string {
  for (;;) {
    const body = (parseAst(code) as unknown as { body: Node[] }).body
    const usedOutside = (own: Node) => {
      const names = new Set<string>()
      for (const stmt of body) if (stmt !== own) mentions(stmt, names)
      return names
    }
    const edits: Edit[] = []
    for (const stmt of body) {
      const specs = stmt.specifiers as (Node & { local: Node & { name: string } })[] | undefined
      if (stmt.type === 'ImportDeclaration' && specs?.length) {
        const used = usedOutside(stmt)
        const kept = specs.filter((s) => used.has(s.local.name))
        if (kept.length === specs.length) continue
        const source = stmt.source as Node
        const named = kept.filter((s) => s.type === 'ImportSpecifier').map((s) => code.slice(s.start, s.end))
        const parts = [
          ...kept.filter((s) => s.type !== 'ImportSpecifier').map((s) => code.slice(s.start, s.end)),
          ...(named.length ? [`{ ${named.join(', ')} }`] : []),
        ]
        edits.push({
          start: stmt.start,
          end: stmt.end,
          text: parts.length ? `import ${parts.join(', ')} from ${code.slice(source.start, source.end)};` : '',
        })
      } else if (stmt.type === 'FunctionDeclaration' && stmt.id) {
        if (!usedOutside(stmt).has((stmt.id as Node & { name: string }).name))
          edits.push({ start: stmt.start, end: stmt.end, text: '' })
      } else if (stmt.type === 'VariableDeclaration') {
        const declarators = stmt.declarations as (Declarator & { init: Node | null })[]
        const pure = declarators.every((d) => d.id.type === 'Identifier' && d.init && FUNCTION_VALUE.has(d.init.type))
        if (pure && !declarators.some((d) => usedOutside(stmt).has(d.id.name!)))
          edits.push({ start: stmt.start, end: stmt.end, text: '' })
      }
    }
    if (!edits.length) return code
    code = applyEdits(code, edits)
  }
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
