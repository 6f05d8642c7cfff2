// Totals the test runners' JSON reports into the one line CI reads: "N passed, N failed".
// A runner whose report is missing (it crashed before writing one) counts as one failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, ...expected] = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0
for (const name of expected) {
  const file = join(dir, name)
  if (!existsSync(file)) {
    console.error(`no report from ${name}: that runner crashed or did not run`)
    failed += 1
    continue
  }
  const r = JSON.parse(readFileSync(file, 'utf8'))
  const p = r.numPassedTests ?? 0
  const f = (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0)
  // Worded unlike the closing line, so a reader of the last "N passed, N failed" line never takes this one.
  console.log(`${name}: ${p} tests passed and ${f} failed`)
  passed += p
  failed += f
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
}
for (const name of readdirSync(dir).filter((f) => f.endsWith('.count.json'))) {
  const r = JSON.parse(readFileSync(join(dir, name), 'utf8'))
  passed += r.passed
  failed += r.failed
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
