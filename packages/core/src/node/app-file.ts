import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Middleware } from '../server/build-types.js'

/**
 * Imports a user's app file, as `startProductionServer(outDir, appFile)` of the original Pareto did: its default
 * export must be an Express app or any `(req, res, next)` function. Relative paths are resolved from the cwd.
 */
export async function loadAppFile(file: string): Promise<Middleware> {
  const path = resolve(file)
  if (!existsSync(path)) {
    throw new Error(
      `startProductionServer: the app file ${path} does not exist. Pass the path of a module whose default export is an Express app, or leave it out.`,
    )
  }
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (error) {
    if ((error as { code?: unknown })?.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new Error(
        `startProductionServer: Node cannot import the app file ${path} (${extname(path)} files need a loader). ` +
          "Pass compiled JavaScript (.js or .mjs), or leave the app file out: `pareto build` already compiles the project's app.ts into the build.",
        { cause: error },
      )
    }
    throw new Error(
      `startProductionServer: importing the app file ${path} failed: ${error instanceof Error ? error.message : String(error)}. Fix that module and start again.`,
      { cause: error },
    )
  }
  const app = mod.default
  if (typeof app !== 'function') {
    throw new Error(
      `startProductionServer: the app file ${path} must default-export an Express app or a (req, res, next) function; its default export is ${app === undefined ? 'missing' : typeof app}.`,
    )
  }
  return app as Middleware
}
