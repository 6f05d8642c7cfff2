import { describe, expectTypeOf, it } from 'vitest'
import { defineContextStore, defineStore } from '../../src/store/index.js'
import type { ContextStoreProviderProps, SetState, StateUpdater } from '../../src/store/index.js'

// Compile-time checks: `npx tsc -p tsconfig.json --noEmit` fails if these types regress.
describe('store types', () => {
  it('types state, actions and updaters', () => {
    const store = defineStore<{ count: number; tags: string[]; inc: () => void }>((set) => ({
      count: 0,
      tags: [],
      inc: () =>
        set((draft) => {
          draft.count++
          draft.tags.push('x')
        }),
    }))
    expectTypeOf(store.getState().count).toEqualTypeOf<number>()
    expectTypeOf(store.useStore).returns.toHaveProperty('inc').toEqualTypeOf<() => void>()
    expectTypeOf(store.setState).toEqualTypeOf<SetState<{ count: number; tags: string[]; inc: () => void }>>()
    expectTypeOf<{ count: number }>().toExtend<StateUpdater<{ count: number; tags: string[] }>>()
    if (Math.random() > 2) {
      // @ts-expect-error unknown key in a partial update
      store.setState({ cont: 1 })
      // @ts-expect-error wrong value type in a recipe
      store.setState((draft) => void (draft.count = 'one'))
    }
  })

  it('requires initialData exactly when the factory needs it', () => {
    const WithData = defineContextStore<{ user: string }, { user: string }>((init) => () => ({ user: init.user }))
    const WithoutData = defineContextStore<{ open: boolean }>(() => () => ({ open: false }))
    expectTypeOf<ContextStoreProviderProps<{ user: string }>>().toHaveProperty('initialData').toEqualTypeOf<{
      user: string
    }>()
    expectTypeOf<{ children: null }>().toExtend<Parameters<typeof WithoutData.Provider>[0]>()
    expectTypeOf<{ children: null }>().not.toExtend<Parameters<typeof WithData.Provider>[0]>()
    expectTypeOf(WithData.useStore).returns.toEqualTypeOf<{ user: string }>()
  })
})
