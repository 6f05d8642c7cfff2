const UNSAFE = /[<\u2028\u2029]/g
const REPLACEMENT: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' }

/**
 * JSON for an inline `<script>`: no string can close the script (`</script>`), open a comment (`<!--`),
 * or break the line (U+2028/U+2029), because every `<` and line separator is written as a `\u` escape.
 */
export function scriptSafeJson(value: unknown): string {
  return scriptSafe(JSON.stringify(value))
}

/** The same for text that is JSON already: in JSON, `<` and the line separators occur only inside strings, where `\u` escapes mean the same. */
export function scriptSafe(json: string): string {
  return json.replace(UNSAFE, (c) => REPLACEMENT[c]!)
}
