import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping'
import type { SourceMapInput } from '@jridgewell/trace-mapping'
import type { ViteDevServer } from 'vite'
import type { ErrorSource } from '../wire/global.js'

/** Lines shown before and after the marked line of a code frame. */
const CONTEXT_LINES = 2

/**
 * A few lines of `source` around `line` (1-based), numbered, the line marked with `>` and the column
 * (1-based) with a caret under it.
 */
export function codeFrame(source: string, line: number, column: number): string {
  const lines = source.split(/\r?\n/)
  // The empty "line" after a file's final newline is not shown.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  const first = Math.max(1, line - CONTEXT_LINES)
  const last = Math.min(lines.length, line + CONTEXT_LINES)
  const width = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? ''
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`)
    if (n === line) {
      // Tabs stay tabs, so the caret lines up with the code however wide the reader's tabs are.
      const lead = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ')
      out.push(`  ${' '.repeat(width)} | ${lead}^`)
    }
  }
  return out.join('\n')
}

/** A stack line's location: `at fn (/abs/file.ts:4:9)`, `at /abs/file.ts:4:9`, or a `file://` URL. */
const STACK_LOCATION = /^\s*at (?:.*?\()?((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()]*?):(\d+):(\d+)\)?\s*$/

interface Location {
  file: string
  line: number
  column: number
}

/** The location a parser or transform error points at (Vite's `loc`, or the first of Oxc's `errors`), 1-based. */
function syntaxLocation(error: object): Location | undefined {
  const candidates = [error, ...(((error as { errors?: unknown }).errors as object[] | undefined)?.slice(0, 1) ?? [])]
  for (const c of candidates) {
    const loc = (c as { loc?: { file?: unknown; line?: unknown; column?: unknown } } | null)?.loc
    const file = typeof loc?.file === 'string' ? loc.file : (c as { id?: unknown }).id
    if (loc && typeof file === 'string' && typeof loc.line === 'number' && typeof loc.column === 'number')
      // Parsers count columns from 0; stack traces and editors from 1.
      return { file: file.split('?')[0], line: loc.line, column: loc.column + 1 }
  }
  return undefined
}

/** The project's own files (outside node_modules), and a position in one of them as an error's source. */
function projectSources(root: string) {
  const base = resolve(root)
  const inProject = (file: string) => {
    const rel = relative(base, file)
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('node_modules')
  }
  const describe = (at: Location): ErrorSource | undefined => {
    let text: string
    try {
      text = readFileSync(at.file, 'utf8')
    } catch {
      return undefined
    }
    const file = relative(base, at.file).split(sep).join('/')
    return { file, line: at.line, column: at.column, frame: codeFrame(text, at.line, at.column) }
  }
  return { inProject, describe }
}

/**
 * Finds where an error comes from in the project's own source, for the terminal and the dev error page:
 * the position a syntax error names, else the first frame of its stack (rewritten from the transformed code
 * to the source by Vite) in a project file outside node_modules. Rewrites the error's stack in place.
 */
export function createErrorLocator(vite: ViteDevServer, root: string): (error: unknown) => ErrorSource | undefined {
  const located = new WeakMap<object, ErrorSource | null>()
  const { inProject, describe } = projectSources(root)
  const find = (error: object): ErrorSource | undefined => {
    const syntax = syntaxLocation(error)
    if (syntax && inProject(syntax.file)) return describe(syntax)
    if (!(error instanceof Error) || !error.stack) return undefined
    vite.ssrFixStacktrace(error)
    for (const line of error.stack.split('\n')) {
      const m = STACK_LOCATION.exec(line)
      if (!m) continue
      const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1].split('?')[0]
      if (!inProject(file)) continue
      const found = describe({ file, line: Number(m[2]), column: Number(m[3]) })
      if (found) return found
    }
    return undefined
  }
  return (error) => {
    if (typeof error !== 'object' || error === null) return undefined
    if (!located.has(error)) located.set(error, find(error) ?? null)
    return located.get(error) ?? undefined
  }
}

/** A browser stack line's location, whatever the browser: `at fn (http://…/app/page.tsx?t=1:4:9)` or `fn@http://…:4:9`. */
const BROWSER_STACK_LOCATION = /(https?:\/\/[^\s()]+):(\d+):(\d+)\)?\s*$/

/**
 * Finds where an error thrown in the browser comes from: the first frame of its stack in a project module,
 * mapped from the code Vite served to the source through the source map Vite made for that module.
 */
export function createBrowserErrorLocator(
  vite: ViteDevServer,
  root: string,
): (stack: string) => Promise<ErrorSource | undefined> {
  const { inProject, describe } = projectSources(root)
  const graph = vite.environments.client.moduleGraph
  return async (stack) => {
    for (const line of stack.split('\n')) {
      const m = BROWSER_STACK_LOCATION.exec(line)
      if (!m) continue
      let url: URL
      try {
        url = new URL(m[1])
      } catch {
        continue
      }
      const mod = await graph.getModuleByUrl(url.pathname + url.search)
      const map = mod?.transformResult?.map
      if (!mod?.file || !map || !('version' in map)) continue
      // Stack columns count from 1, source maps from 0.
      const at = originalPositionFor(new TraceMap(map as SourceMapInput), {
        line: Number(m[2]),
        column: Number(m[3]) - 1,
      })
      if (at.source === null || at.line === null || at.column === null) continue
      const file = isAbsolute(at.source) ? at.source : resolve(dirname(mod.file), at.source)
      if (!inProject(file)) continue
      const found = describe({ file, line: at.line, column: at.column + 1 })
      if (found) return found
    }
    return undefined
  }
}
