import { scriptSafe, scriptSafeJson } from './escape.js'
import { DEFERRED_FRAME, JSON_FRAME, REJECTED_FRAME, RESOLVED_FRAME } from './tags.js'

/**
 * Frames (whole text lines from `encodeFrames`) as the arguments of `__PARETO.f.push(…)` in an inline
 * script. A line of the JSON forms goes as `["<head>",<its JSON>]`, which the browser parses with the
 * script, instead of as a string holding JSON (every quote escaped again, then parsed twice). Other lines
 * (turbo-stream's) go as strings. Decoded by `decodeFrames` either way.
 */
export function frameArgs(text: string): string {
  let out = ''
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const c = text[start]
    let at = -1
    if (c === JSON_FRAME || c === DEFERRED_FRAME) at = start + 1
    else if (c === RESOLVED_FRAME || c === REJECTED_FRAME) at = text.indexOf(':', start) + 1
    if (out) out += ','
    out += at > 0 && at < end ? `[${JSON.stringify(text.slice(start, at))},${scriptSafe(text.slice(at, end))}]` : scriptSafeJson(text.slice(start, end) + '\n')
    start = end + 1
  }
  return out
}
