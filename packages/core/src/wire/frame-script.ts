import { scriptSafe, scriptSafeJson } from './escape.js'
import { DEFERRED_FRAME, JSON_FRAME, REJECTED_FRAME, RESOLVED_FRAME } from './tags.js'

/**
 * One frame line (head and body, as `encodeFrames` hands them over) as an argument of
 * `__PARETO.f.push(…)` in an inline script. A line of the JSON forms goes as `["<head>",<its JSON>]`,
 * which the browser parses with the script, instead of as a string holding JSON (every quote escaped
 * again, then parsed twice). Other lines (turbo-stream's) go as strings. Decoded by `decodeFrames` either way.
 */
export function lineArgs(head: string, body: string): string {
  const json =
    body !== '' &&
    (head === JSON_FRAME || head === DEFERRED_FRAME || head[0] === RESOLVED_FRAME || head[0] === REJECTED_FRAME)
  return json ? `[${JSON.stringify(head)},${scriptSafe(body)}]` : scriptSafeJson(`${head}${body}\n`)
}

/** Frames given as text (whole lines, as complete data is encoded) as push arguments, comma-separated. */
export function frameArgs(text: string): string {
  let out = ''
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const c = text[start]
    // Where the head ends: one letter for J and D, `R<i>:`/`X<i>:`; turbo-stream's lines have none.
    let at = start
    if (c === JSON_FRAME || c === DEFERRED_FRAME) at = start + 1
    else if (c === RESOLVED_FRAME || c === REJECTED_FRAME) {
      const colon = text.indexOf(':', start)
      if (colon >= 0 && colon < end) at = colon + 1
    }
    if (out) out += ','
    out += lineArgs(text.slice(start, at), text.slice(at, end))
    start = end + 1
  }
  return out
}
