import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'

/** Set before React loads (imports run in order): React picks its production build from NODE_ENV. */
const ENV_MODULE = `// Written by \`pareto build\`: production mode for React, before it is imported.
globalThis.process ??= { env: {} }
process.env.NODE_ENV ??= 'production'
`

/**
 * Writes `<outDir>/server/fetch.js`: the app as an ES module whose default export is `{ fetch }`, serving the
 * client's files too. `PORT=3000 bun <outDir>/server/fetch.js` and `deno serve -A --port 3000
 * <outDir>/server/fetch.js` run it as it is.
 */
export function writeFetchEntry(outDir: string): void {
  const server = join(outDir, 'server')
  writeFileSync(join(server, 'env.js'), ENV_MODULE)
  writeFileSync(
    join(server, 'fetch.js'),
    `// Written by \`pareto build\`: the app as a web-standard fetch handler, for Bun, Deno or any runtime with a file system.
import './env.js'
import * as build from './entry.mjs'
import manifest from '../client/.vite/manifest.json' with { type: 'json' }
import { clientFiles, createFetchHandler } from '@paretojs/core/fetch'

const handler = createFetchHandler({ build, manifest, assets: clientFiles(new URL('../client/', import.meta.url)) })

// development: false keeps Bun's own error pages and dev checks out of production.
export default { fetch: (request) => handler(request), development: false }
`,
  )
}

/** The newest compatibility date the project's workerd accepts, or one every current wrangler accepts. */
function compatibilityDate(root: string): string {
  try {
    const workerd = createRequire(join(root, 'package.json'))('workerd') as { compatibilityDate?: string }
    if (workerd.compatibilityDate) return workerd.compatibilityDate
  } catch {
    // wrangler is not installed in the project yet: `npx wrangler` brings one that accepts the date below.
  }
  return '2025-09-01'
}

/**
 * Writes `<outDir>/cloudflare/`: a Workers project whose worker is the app (wrangler bundles it with its
 * dependencies) and whose assets are the client build. `npx wrangler dev` there runs it on workerd.
 */
export function writeWorkersProject(root: string, outDir: string): void {
  const dir = join(outDir, 'cloudflare')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'env.js'), ENV_MODULE)
  writeFileSync(
    join(dir, 'worker.mjs'),
    `// Written by \`pareto build --target cloudflare\`: the app as a Cloudflare Worker; the client build is served as assets.
import './env.js'
import * as build from '../server/entry.mjs'
import manifest from '../client/.vite/manifest.json'
import { createFetchHandler } from '@paretojs/core/fetch'

const handler = createFetchHandler({ build, manifest })

export default { fetch: (request) => handler(request) }
`,
  )
  const name =
    basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'pareto-app'
  const config = {
    name,
    main: 'worker.mjs',
    compatibility_date: compatibilityDate(root),
    // Pareto's server uses Node's streams, events and crypto, which workerd provides with this flag.
    compatibility_flags: ['nodejs_compat'],
    assets: { directory: '../client' },
  }
  writeFileSync(
    join(dir, 'wrangler.jsonc'),
    `// Written by \`pareto build --target cloudflare\`. Run \`npx wrangler dev\` here, or \`npx wrangler deploy\`.\n${JSON.stringify(config, null, 2)}\n`,
  )
}
