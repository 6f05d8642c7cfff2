import type { LoaderContext } from '@paretojs/core'

export function loader(_ctx: LoaderContext) {
  return { total: 42, generatedAt: new Date().toISOString() }
}
