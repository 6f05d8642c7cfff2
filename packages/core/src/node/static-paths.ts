import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Every URL path sirv would answer from `dir` (it lists the folder once at start-up too): each file, and
 * the paths its `.html`/`.htm` extensions and `index.html` files stand for. A superset is harmless, since
 * sirv still decides; a missing path would send a file's request to the app.
 */
export function staticPaths(dir: string): Set<string> {
  const out = new Set<string>()
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = `${prefix}/${entry.name}`
      if (entry.isDirectory()) walk(join(folder, entry.name), path)
      else {
        out.add(path)
        const bare = path.replace(/\.html?$/, '')
        if (bare !== path) out.add(bare)
        if (/\/index\.html?$/.test(path)) {
          const folderPath = path.replace(/\/index\.html?$/, '')
          out.add(folderPath || '/')
          out.add(folderPath + '/')
        }
      }
    }
  }
  if (existsSync(dir)) walk(dir, '')
  return out
}
