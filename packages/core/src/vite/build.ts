import { readFileSync, rmSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { build, mergeConfig } from 'vite'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { scanRoutes } from '../routes/scan.js'
import type { RouteTable } from '../routes/types.js'
import type { ViteManifest } from '../server/assets.js'
import type { WorkerMessage } from '../static/build-worker.js'
import { staticPaths } from '../static/render.js'
import type { StaticReportRow } from '../static/render.js'
import { computeBuildReport, formatBuildReport, formatStaticReport } from './build-report.js'
import { loadParetoConfig } from './load-config.js'
import { baseViteConfig } from './vite-config.js'
import { CLIENT_ENTRY, SERVER_ENTRY } from './virtual.js'
import { writeFetchEntry, writeWorkersProject } from './fetch-entry.js'

/** `pareto build`: the client (code split per route, hashed, with a manifest), then the server entry, into outDir. */
export async function buildApp(root: string, options: { cloudflare?: boolean } = {}): Promise<void> {
  const started = Date.now()
  const config = await loadParetoConfig(root, 'build')
  const outDir = resolve(root, config.outDir)
  // Route-convention mistakes stop the build here, before Vite prints anything.
  const table = scanRoutes(resolve(root, config.appDir).split(sep).join('/'), config.appDir)
  const base = await baseViteConfig(root, config, 'build')
  // Vite's list of every emitted file is long and says nothing per route; the report below replaces it.
  const logLevel = 'warn'
  await build(
    mergeConfig(base, {
      mode: 'production',
      logLevel,
      build: {
        outDir: `${outDir}/client`,
        emptyOutDir: true,
        manifest: true,
        // Every browser Pareto targets supports <link rel="modulepreload">; the polyfill would ship to all of them.
        modulePreload: { polyfill: false },
        rollupOptions: { input: CLIENT_ENTRY },
      },
    }),
  )
  await build(
    mergeConfig(base, {
      mode: 'production',
      logLevel,
      publicDir: false,
      build: {
        ssr: true,
        outDir: `${outDir}/server`,
        emptyOutDir: true,
        copyPublicDir: false,
        rollupOptions: {
          input: SERVER_ENTRY,
          output: { format: 'es', entryFileNames: 'entry.mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
        },
      },
    }),
  )
  writeFetchEntry(outDir)
  if (options.cloudflare) writeWorkersProject(root, outDir)
  const manifest = JSON.parse(readFileSync(`${outDir}/client/.vite/manifest.json`, 'utf8')) as ViteManifest
  const statics = await buildStaticPages(root, config.appDir, outDir, table)
  const report = computeBuildReport(manifest, table, `${outDir}/client`, config.appDir)
  const { lines, warnings } = formatBuildReport(report, config)
  const staticLines = statics.length ? `\n${formatStaticReport(statics).join('\n')}\n` : ''
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`[pareto] built ${relative(root, outDir) || '.'} in ${seconds} s\n\n${lines.join('\n')}\n${staticLines}`)
  for (const w of warnings) console.warn(w)
}

/**
 * Renders the app's static pages (`config = { render: 'static' }`) into `<outDir>/static` with the server build
 * just written, in a child process that exits when done (whatever the app's modules leave open). The server
 * build is loaded only when a page file mentions `config` or `staticParams`: an app without static pages runs
 * none of its code at build time.
 */
async function buildStaticPages(
  root: string,
  appDir: string,
  outDir: string,
  table: RouteTable,
): Promise<StaticReportRow[]> {
  const appDirAbs = resolve(root, appDir)
  const mentions = table.routes.some(
    (r) => r.kind === 'page' && /\b(config|staticParams)\b/.test(readFileSync(join(appDirAbs, r.file), 'utf8')),
  )
  if (!mentions) {
    // A previous build's pages would otherwise still be served.
    const paths = staticPaths(outDir)
    rmSync(paths.dir, { recursive: true, force: true })
    rmSync(paths.manifest, { force: true })
    return []
  }
  const worker = fork(fileURLToPath(new URL('../static/build-worker.js', import.meta.url)), [outDir, appDir], {
    stdio: 'inherit',
  })
  let result: WorkerMessage | undefined
  worker.on('message', (m: WorkerMessage) => (result = m))
  const code = await new Promise<number | null>((done, fail) => {
    worker.once('error', fail)
    worker.once('exit', (c, signal) => done(signal ? 1 : c))
  })
  if (result && 'rows' in result && code === 0) return result.rows
  throw new Error(
    result && 'error' in result
      ? result.error
      : `rendering the static pages stopped (exit code ${code}) without saying why. Run \`pareto build\` again; if it persists, this is a Pareto bug: please report it.`,
  )
}
