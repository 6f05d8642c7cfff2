import react from '@vitejs/plugin-react'
import { loadConfigFromFile } from 'vite'
import type { InlineConfig, PluginOption } from 'vite'
import type { ResolvedConfig } from '../config.js'
import { findViteConfig } from './load-config.js'
import { paretoPlugin } from './plugin.js'
import { stripServerExportsPlugin } from './strip-server-exports.js'
import { resolve, sep } from 'node:path'

function hasReactPlugin(plugins: PluginOption[] | undefined): boolean {
  const flat = (plugins ?? []).flat(Infinity as 1) as unknown[]
  return flat.some(
    (p) => typeof p === 'object' && p !== null && String((p as { name?: string }).name).startsWith('vite:react'),
  )
}

/** Vite config shared by dev and build: the user's vite.config (if any), React, and the Pareto plugin. */
export async function baseViteConfig(
  root: string,
  config: ResolvedConfig,
  command: 'build' | 'serve',
): Promise<InlineConfig> {
  const configFile = findViteConfig(root)
  let userHasReact = false
  if (configFile) {
    const loaded = await loadConfigFromFile(
      { command, mode: command === 'build' ? 'production' : 'development' },
      configFile,
      root,
      'silent',
    )
    userHasReact = hasReactPlugin(loaded?.config.plugins)
  }
  return {
    root,
    configFile,
    plugins: [
      ...(userHasReact ? [] : [react()]),
      paretoPlugin(root, config, { refreshPreamble: command === 'serve' }),
      stripServerExportsPlugin(resolve(root, config.appDir).split(sep).join('/')),
    ],
    resolve: { dedupe: ['react', 'react-dom'] },
    // Pareto's runtime must be the very module the server imports, so that contexts are shared with the app's pages.
    ssr: { external: ['@paretojs/core'] },
    envPrefix: ['VITE_', 'PARETO_'],
    // The client entry is generated, so Vite's scan misses what it imports and would find it on the first
    // visit, then reload the page; named here, they are pre-bundled before the first request.
    optimizeDeps: { include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime'] },
  }
}
