import { readFileSync } from 'node:fs'
import { relative, resolve, sep } from 'node:path'
import { build, mergeConfig } from 'vite'
import { scanRoutes } from '../routes/scan.js'
import type { ViteManifest } from '../server/assets.js'
import { computeBuildReport, formatBuildReport } from './build-report.js'
import { loadParetoConfig } from './load-config.js'
import { baseViteConfig } from './vite-config.js'
import { CLIENT_ENTRY, SERVER_ENTRY } from './virtual.js'

/** `pareto build`: the client (code split per route, hashed, with a manifest), then the server entry, into outDir. */
export async function buildApp(root: string): Promise<void> {
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
  const manifest = JSON.parse(readFileSync(`${outDir}/client/.vite/manifest.json`, 'utf8')) as ViteManifest
  const report = computeBuildReport(manifest, table, `${outDir}/client`, config.appDir)
  const { lines, warnings } = formatBuildReport(report, config)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`[pareto] built ${relative(root, outDir) || '.'} in ${seconds} s\n\n${lines.join('\n')}\n`)
  for (const w of warnings) console.warn(w)
}
