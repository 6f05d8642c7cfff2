import { createHash } from 'node:crypto'
import type { Rolldown } from 'vite'

/**
 * Stands for the build id in the generated client entry until the client bundle is complete; as long as an id, so
 * the entry's source map stays right when it is replaced.
 */
export const BUILD_ID_PLACEHOLDER = '__PARETO_BUILD__'

/**
 * Names the client build: a hash of every file it emits (the entry with the placeholder still in it), so two builds
 * whose browser code is the same share an id and any change to it — a route's chunk, the route table, a stylesheet —
 * makes a new one. Then writes the id into the entry chunk in place of the placeholder.
 */
export function stampBuildId(bundle: Rolldown.OutputBundle, entryFile: string): string {
  const hash = createHash('sha256')
  // Vite's manifest lists the same files; its place in the bundle depends on plugin order.
  for (const name of Object.keys(bundle)
    .filter((n) => !n.startsWith('.vite/'))
    .sort()) {
    const file = bundle[name]!
    hash
      .update(name)
      .update('\0')
      .update(file.type === 'chunk' ? file.code : file.source)
      .update('\0')
  }
  const id = hash.digest('hex').slice(0, BUILD_ID_PLACEHOLDER.length)
  const entry = bundle[entryFile]
  const parts = entry?.type === 'chunk' ? entry.code.split(BUILD_ID_PLACEHOLDER) : []
  if (parts.length !== 2)
    throw new Error(
      `pareto build: the client entry (${entryFile}) should hold the build id placeholder once; found it ${Math.max(parts.length - 1, 0)} times. This is a Pareto bug: please report it.`,
    )
  ;(entry as Rolldown.OutputChunk).code = parts.join(id)
  return id
}
