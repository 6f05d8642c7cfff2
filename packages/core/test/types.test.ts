import { describe, expectTypeOf, it } from 'vitest'
import { defer, useLoaderData } from '../src/index.js'
import type { LoaderContext, LoaderData } from '../src/index.js'

// Compile-time checks (run by `tsc --noEmit` in npm run typecheck, and by vitest's expectTypeOf).
function loader(_ctx: LoaderContext) {
  return defer({
    quick: { total: 42 },
    when: new Date(),
    slow: Promise.resolve([{ id: 1, name: 'a' }]),
    nested: { later: Promise.resolve(new Map<string, number>()) },
  })
}

async function asyncLoader() {
  return { user: { name: 'x' }, roles: new Set(['admin']) }
}

describe('useLoaderData types', () => {
  it('infers from typeof loader, with deferred values as promises', () => {
    type D = LoaderData<typeof loader>
    expectTypeOf<D['quick']>().toEqualTypeOf<{ total: number }>()
    expectTypeOf<D['when']>().toEqualTypeOf<Date>()
    expectTypeOf<D['slow']>().toEqualTypeOf<Promise<{ id: number; name: string }[]>>()
    expectTypeOf<D['nested']['later']>().toEqualTypeOf<Promise<Map<string, number>>>()
    expectTypeOf(useLoaderData<typeof loader>).returns.toEqualTypeOf<D>()
  })

  it('unwraps async loaders', () => {
    expectTypeOf<LoaderData<typeof asyncLoader>>().toEqualTypeOf<{ user: { name: string }; roles: Set<string> }>()
  })

  it('keeps an explicit shape as given', () => {
    expectTypeOf(useLoaderData<{ a: number }>).returns.toEqualTypeOf<{ a: number }>()
  })
})
