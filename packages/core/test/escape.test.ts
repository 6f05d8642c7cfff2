import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scriptSafeJson } from '../src/wire/escape.js'

const tricky = [
  '</script><script>alert(1)</script>',
  '</SCRIPT >',
  '<!--',
  '<!-- <script>',
  '-->',
  '\u2028\u2029',
  'a\u2028b\u2029c',
  '<',
  '\\u003c',
  '"quoted" & \'single\'',
  '',
]

function onlyFinalScriptClose(html: string): boolean {
  const closes = [...html.matchAll(/<\/script/gi)]
  return closes.length === 1 && closes[0].index === html.length - '</script>'.length
}

describe('scriptSafeJson', () => {
  it.each(tricky)('round-trips %j with no < or raw line separators', (s) => {
    for (const value of [s, { s }, [s, { deep: { deeper: [s] } }], { [s]: s }]) {
      const out = scriptSafeJson(value)
      expect(out).not.toContain('<')
      expect(out).not.toContain('\u2028')
      expect(out).not.toContain('\u2029')
      expect(JSON.parse(out)).toEqual(value)
      expect(onlyFinalScriptClose(`<script>self.x=${out}</script>`)).toBe(true)
    }
  })

  it('is still a valid JS expression inside a script', () => {
    const value = { a: '</script>', b: '\u2028', c: [1, null, true], d: '<!--' }
    const out = scriptSafeJson(value)
    expect(new Function(`return ${out}`)()).toEqual(value)
  })

  it('escapes object keys too', () => {
    const out = scriptSafeJson({ '</script>': 1 })
    expect(out).not.toContain('<')
    expect(JSON.parse(out)).toEqual({ '</script>': 1 })
  })

  it('holds for arbitrary values', () => {
    const str = fc.string({
      unit: fc.constantFrom('<', '/', 's', 'c', 'r', 'i', 'p', 't', '>', '!', '-', '\u2028', '\u2029', '"', '\\', 'x'),
    })
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }).chain((j) => fc.tuple(fc.constant(j), str)),
        ([json, s]) => {
          const value = { json, s }
          const out = scriptSafeJson(value)
          expect(/[<\u2028\u2029]/.test(out)).toBe(false)
          expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)))
          expect(onlyFinalScriptClose(`<script>self.x=${out}</script>`)).toBe(true)
        },
      ),
    )
  })
})
