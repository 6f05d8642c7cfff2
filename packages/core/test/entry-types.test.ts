import { describe, expectTypeOf, it } from 'vitest'
import type * as Core from '../src/index.js'
import type * as Node from '../src/node.js'
import type * as Client from '../src/client.js'

// Compile-time checks (run by `tsc --noEmit` in npm run typecheck): the types the original Pareto exports
// from `@paretojs/core/node` and `@paretojs/core/client` are there too, and are the same types as elsewhere.
describe('types on the original Pareto import paths', () => {
  it('@paretojs/core/node has LoaderContext, LoaderFunction and ParetoConfig, the same as @paretojs/core', () => {
    expectTypeOf<Node.LoaderContext>().toEqualTypeOf<Core.LoaderContext>()
    expectTypeOf<Node.LoaderContext<{ slug: string }>>().toEqualTypeOf<Core.LoaderContext<{ slug: string }>>()
    expectTypeOf<Node.LoaderFunction>().toEqualTypeOf<Core.LoaderFunction>()
    expectTypeOf<Node.ParetoConfig>().toEqualTypeOf<Core.ParetoConfig>()
    // A loader typed from the node path is a loader.
    const loader: Node.LoaderFunction<{ id: string }> = (ctx) => ({ id: ctx.params.id })
    expectTypeOf(loader).parameter(0).toEqualTypeOf<Core.LoaderContext>()
  })

  it('@paretojs/core/client has ClientRoute: one route of what startClient receives', () => {
    expectTypeOf<Client.ClientRoute>().toEqualTypeOf<Client.ClientOptions['table']['routes'][number]>()
    expectTypeOf<Client.ClientRoute>().toHaveProperty('id').toEqualTypeOf<string>()
    expectTypeOf<Client.ClientRoute>().toHaveProperty('layouts').toEqualTypeOf<string[]>()
    expectTypeOf<Client.ClientRoute>().toHaveProperty('heads').toEqualTypeOf<string[]>()
  })
})
