import { expect } from 'vitest'
import { arrivalOf } from './wire.js'
import type { TimedResponse } from './wire.js'

/** When the fixture's seed page settles its deferred values, in ms from the request (app/page.tsx). */
export const TABLE_SETTLES = 300
export const CHART_SETTLES = 900

/**
 * The seed page as it must stream, on every server: the shell (fast data, both fallbacks) before any deferred
 * value, the table then the chart each once settled, each data frame with its value, and the end right after.
 */
export function expectSeedStreams(r: TimedResponse): void {
  const shell = arrivalOf(r, '<h1>42<!-- --> items</h1>')
  const shellText = r.chunks
    .filter((c) => c.t <= shell)
    .map((c) => c.text)
    .join('')
  expect(shellText.match(/class="skeleton"/g)?.length).toBe(2)
  expect(shellText).not.toContain('Alpha')
  const table = arrivalOf(r, '<td>Alpha</td>')
  const chart = arrivalOf(r, '<div id="chart">3,1,4,1,5</div>')
  expect(shell).toBeLessThan(TABLE_SETTLES)
  expect(table).toBeGreaterThanOrEqual(TABLE_SETTLES - 5)
  expect(table).toBeLessThan(CHART_SETTLES)
  expect(chart).toBeGreaterThanOrEqual(CHART_SETTLES - 5)
  // Data frames for hydration come with their values, not at the end.
  expect(arrivalOf(r, /__PARETO\.f\.push\(\["R\d+:",[^<]*Alpha/)).toBeLessThan(CHART_SETTLES)
  expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
  expect(r.end - chart).toBeLessThan(200)
}
