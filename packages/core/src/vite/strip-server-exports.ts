import { parseAst } from 'vite'
import type { Plugin } from 'vite'

/** Exports of a page module that only the server reads: its data functions and its static-rendering settings. */
export const PAGE_SERVER_EXPORTS: ReadonlySet<string> = new Set(['loader', 'action', 'config', 'staticParams'])

/** Exports of a layout module that only the server runs. */
export const LAYOUT_SERVER_EXPORTS: ReadonlySet<string> = new Set(['loader', 'action'])

interface Node {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

type Declarator = Node & { id: Node & { name?: string } }

/**
 * Removes server-only exports (by default a page's `loader`, `action`, `config` and `staticParams`) from
 * JavaScript source so they (and whatever only they import) fall out of the client bundle. Returns null when
 * there is nothing to remove.
 */
export function stripServerExports(code: string, names: ReadonlySet<string> = PAGE_SERVER_EXPORTS): string | null {
  if (![...names].some((n) => code.includes(n))) return null
  const ast = parseAst(code) as unknown as { body: Node[] }
  const edits: { start: number; end: number; text: string }[] = []
  for (const node of ast.body) {
    if (node.type !== 'ExportNamedDeclaration') continue
    const decl = node.declaration as Node | null
    if (decl?.type === 'FunctionDeclaration' || decl?.type === 'ClassDeclaration') {
      const name = (decl.id as (Node & { name: string }) | null)?.name
      if (name && names.has(name)) edits.push({ start: node.start, end: node.end, text: '' })
    } else if (decl?.type === 'VariableDeclaration') {
      const declarators = decl.declarations as Declarator[]
      const kept = declarators.filter((d) => !(d.id.type === 'Identifier' && names.has(d.id.name!)))
      if (kept.length === declarators.length) continue
      const text = kept.length
        ? `export ${String(decl.kind)} ${kept.map((d) => code.slice(d.start, d.end)).join(', ')};`
        : ''
      edits.push({ start: node.start, end: node.end, text })
    } else if (!decl && Array.isArray(node.specifiers) && !node.source) {
      const specs = node.specifiers as (Node & { exported: Node & { name?: string; value?: string } })[]
      const kept = specs.filter((s) => !names.has(s.exported.name ?? s.exported.value ?? ''))
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

/** Expressions that run nothing when evaluated (no call, getter, assignment, iteration): safe to drop unused. */
const INERT = new Set([
  'Literal',
  'Identifier',
  'ObjectExpression',
  'Property',
  'ArrayExpression',
  'TemplateLiteral',
  'TemplateElement',
  'UnaryExpression',
  'BinaryExpression',
  'LogicalExpression',
  'ConditionalExpression',
])

/** Whether evaluating `node` has no effect: a function (its body does not run), or literals, names and operators. */
function isInert(node: Node | null): boolean {
  if (!node) return true
  if (FUNCTION_VALUE.has(node.type)) return true
  if (!INERT.has(node.type)) return false
  if (node.type === 'UnaryExpression' && node.operator === 'delete') return false
  // A computed key runs its expression too; the walk below reaches it.
  for (const k in node) {
    if (k === 'type' || k === 'start' || k === 'end') continue
    const v = node[k]
    if (Array.isArray(v)) {
      if (!v.every((x) => x === null || typeof x !== 'object' || isInert(x as Node))) return false
    } else if (v && typeof v === 'object' && 'type' in v && !isInert(v as Node)) return false
  }
  return true
}

/**
 * Drops imported bindings, function declarations and variables with an inert value (`const f = () => …`,
 * `const c = { render: 'static' }`) that nothing references any more, until none is left. Imports without
 * bindings (`import './x.css'`) stay: they are there for their effects.
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
        const pure = declarators.every((d) => d.id.type === 'Identifier' && isInert(d.init))
        if (pure && !declarators.some((d) => usedOutside(stmt).has(d.id.name!)))
          edits.push({ start: stmt.start, end: stmt.end, text: '' })
      }
    }
    if (!edits.length) return code
    code = applyEdits(code, edits)
  }
}

/** Which server-only exports a module of the app directory has, by its file name: pages and layouts have some. */
export function serverExportsOf(id: string, appDirAbs: string): ReadonlySet<string> | undefined {
  const path = id.split('?')[0]
  if (!path.startsWith(appDirAbs + '/')) return undefined
  const m = /\/(page|layout)\.[cm]?[jt]sx?$/.exec(path)
  return m ? (m[1] === 'page' ? PAGE_SERVER_EXPORTS : LAYOUT_SERVER_EXPORTS) : undefined
}

/**
 * Keeps loaders, actions and static-rendering settings (and their server-only imports) out of the browser:
 * strips them from page and layout modules in the client build.
 */
export function stripServerExportsPlugin(appDirAbs: string): Plugin {
  return {
    name: 'pareto:strip-server-exports',
    enforce: 'post',
    applyToEnvironment: (env) => env.config.consumer === 'client',
    transform(code, id) {
      const names = serverExportsOf(id, appDirAbs)
      if (!names) return null
      const out = stripServerExports(code, names)
      return out === null ? null : { code: out, map: null }
    },
  }
}
