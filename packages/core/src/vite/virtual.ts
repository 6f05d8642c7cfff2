import type { ResolvedConfig } from '../config.js'
import type { RouteTable } from '../routes/types.js'

/** Id of the generated server entry (route table, route modules, config, the user's app). */
export const SERVER_ENTRY = 'virtual:pareto/server-entry'
/** Id of the generated client entry (route table with lazy imports, then `startClient`). */
export const CLIENT_ENTRY = 'virtual:pareto/client-entry'
/** The URL the dev server serves the client entry at. */
export const DEV_CLIENT_ENTRY_URL = '/@id/__x00__' + CLIENT_ENTRY

function files(table: RouteTable, forClient: boolean): string[] {
  const out = new Set<string>()
  for (const r of table.routes) {
    if (forClient && r.kind === 'resource') continue
    out.add(r.file)
    if (r.loaderFile && !forClient) out.add(r.loaderFile)
    for (const f of r.layouts) out.add(f)
    for (const f of r.heads) out.add(f)
  }
  for (const f of [table.notFound, table.error, table.rootLayout, table.rootHead]) if (f) out.add(f)
  if (table.document && !forClient) out.add(table.document)
  return [...out]
}

/** Source of the server entry: every route file imported statically, so the server pays no lookup per request. */
export function serverEntryCode(
  table: RouteTable,
  appDirAbs: string,
  config: ResolvedConfig,
  appFile: string | undefined,
  configFile?: string,
  buildId?: string,
): string {
  const list = files(table, false)
  const lines = list.map((f, i) => `import * as m${i} from ${JSON.stringify(`${appDirAbs}/${f}`)}`)
  if (appFile) lines.push(`import userApp from ${JSON.stringify(appFile)}`)
  lines.push(`export const table = ${JSON.stringify(table)}`)
  lines.push(`export const modules = {${list.map((f, i) => `${JSON.stringify(f)}: m${i}`).join(', ')}}`)
  // Function-valued options cannot go through JSON: the config file itself is bundled for them.
  if (configFile && config.wholePage) {
    lines.push(`import userConfig from ${JSON.stringify(configFile)}`)
    lines.push(`export const config = { ...${JSON.stringify(config)}, wholePage: userConfig.wholePage }`)
  } else lines.push(`export const config = ${JSON.stringify(config)}`)
  lines.push(`export const app = ${appFile ? 'userApp' : 'undefined'}`)
  // Navigation data names the build that answered it, so a page of another build does not render it (rolling deploys).
  if (buildId) lines.push(`export const buildId = ${JSON.stringify(buildId)}`)
  return lines.join('\n') + '\n'
}

/**
 * Source of the client entry: page-level files load lazily, one chunk per route file. `buildId` (in a build, the
 * placeholder the finished bundle's id replaces) is what the router compares navigation data with.
 */
export function clientEntryCode(
  table: RouteTable,
  appDirAbs: string,
  withRefreshPreamble: boolean,
  globalStyles?: string,
  buildId?: string,
): string {
  const clientTable: RouteTable = {
    routes: table.routes.filter((r) => r.kind === 'page').map(({ loaderFile: _unused, ...r }) => r),
    notFound: table.notFound,
    error: table.error,
    rootLayout: table.rootLayout,
    rootHead: table.rootHead,
  }
  const list = files(table, true)
  const lines: string[] = []
  if (withRefreshPreamble) lines.push(`import '@vitejs/plugin-react/preamble'`)
  lines.push(`import { startClient } from '@paretojs/core/client'`)
  // Pareto's public components and hooks are used by nearly every page: keeping them in the entry chunk
  // (instead of a small shared chunk of their own) saves a request and compresses better.
  lines.push(`import '@paretojs/core'`)
  // The app's globals.css is part of the entry, so its CSS is linked on every page, first.
  if (globalStyles) lines.push(`import ${JSON.stringify(globalStyles)}`)
  lines.push(
    `const load = {${list.map((f) => `${JSON.stringify(f)}: () => import(${JSON.stringify(`${appDirAbs}/${f}`)})`).join(',\n')}}`,
  )
  const build = buildId ? `, build: ${JSON.stringify(buildId)}` : ''
  lines.push(`startClient({ table: ${JSON.stringify(clientTable)}, load${build} })`)
  return lines.join('\n') + '\n'
}
