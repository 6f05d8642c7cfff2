import { loadBuild } from '../node/production.js'
import { planStaticPages } from './plan.js'
import { renderStaticPages } from './render.js'
import type { StaticReportRow } from './render.js'

/** What the worker sends its parent: the built pages, or the error that stopped it. */
export type WorkerMessage = { rows: StaticReportRow[] } | { error: string }

// Run by `pareto build` in a child process with the server build's path: the app's modules (a database pool, a
// timer) load and run there, and go away with the process, so the build ends when the pages are written.
const [outDir, appDir] = process.argv.slice(2) as [string, string]
const reply = (message: WorkerMessage, code: number) => process.send!(message, () => process.exit(code))
loadBuild(outDir)
  .then(async ({ build, manifest }) => {
    const pages = await planStaticPages(build.table, build.modules, appDir)
    reply({ rows: await renderStaticPages({ outDir, build, manifest, pages }) }, 0)
  })
  .catch((error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }, 1))
