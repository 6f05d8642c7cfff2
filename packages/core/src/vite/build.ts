import { resolve } from 'node:path'
import { build, mergeConfig } from 'vite'
import { loadParetoConfig } from './load-config.js'
import { baseViteConfig } from './vite-config.js'
import { CLIENT_ENTRY, SERVER_ENTRY } from './virtual.js'

/** `pareto build`: the client (code split per route, hashed, with a manifest), then the server entry, into outDir. */
export async function buildApp(root: string): Promise<void> {
  const config = await loadParetoConfig(root, 'build')
  const outDir = resolve(root, config.outDir)
  const base = await baseViteConfig(root, config, 'build')
  await build(
    mergeConfig(base, {
      mode: 'production',
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
}
