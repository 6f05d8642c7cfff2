/** A route-module import as `serverEntryCode` writes it: `import * as m3 from "/abs/app/blog/page.tsx"`. */
const ROUTE_IMPORT = /^import \* as (m\d+) from ("(?:[^"\\]|\\.)*")$/

/**
 * Stands in for a route file that failed to load: every export the server calls throws the load error, so
 * the pages that use the file show it on the error page and every other page keeps working.
 */
const FAILED_MODULE = `const __paretoFailed = (error) => {
  const fail = () => { throw error }
  return { default: fail, loader: fail, action: fail, getDocumentProps: fail }
}`

/**
 * The dev server's variant of the server entry: each route file is imported on its own, and one that fails
 * (a syntax error, a throw at its top level) fails only the routes that use it. `keep` names the files that
 * stay plain imports (the error page: without it no error could be shown), which fail the whole app as before.
 */
export function devServerEntryCode(code: string, keep: string[]): string {
  const kept = new Set(keep)
  const names: string[] = []
  const specifiers: string[] = []
  const rest: string[] = []
  for (const line of code.split('\n')) {
    const m = ROUTE_IMPORT.exec(line)
    if (m && !kept.has(JSON.parse(m[2]) as string)) {
      names.push(m[1])
      specifiers.push(m[2])
    } else rest.push(line)
  }
  if (names.length === 0) return code
  const loads = specifiers.map((s) => `import(${s}).then(undefined, __paretoFailed)`).join(',\n  ')
  return `${FAILED_MODULE}\nconst [${names.join(', ')}] = await Promise.all([\n  ${loads},\n])\n${rest.join('\n')}`
}
