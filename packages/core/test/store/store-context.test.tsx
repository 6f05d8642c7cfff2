// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { useContext } from 'react'
import type { Context } from 'react'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { defineContextStore } from '../../src/store/index.js'

interface Counter {
  count: number
  inc: () => void
}

const CounterStore = defineContextStore<Counter, { start: number }>((init) => (set) => ({
  count: init.start,
  inc: () =>
    set((draft) => {
      draft.count++
    }),
}))

afterEach(cleanup)

/** What the context holds: the nearest Provider's store, or null. */
type ContextValue = typeof CounterStore.StoreContext extends Context<infer V> ? V : never

describe('defineContextStore().StoreContext', () => {
  it('is returned with Provider and useStore, as in the original Pareto', () => {
    const { Provider, useStore, StoreContext } = CounterStore
    expect(typeof Provider).toBe('function')
    expect(typeof useStore).toBe('function')
    // A React context object: it has its own Provider and Consumer.
    expect(StoreContext).toBeDefined()
    expect(StoreContext.Provider).toBeDefined()
    expect(StoreContext.Consumer).toBeDefined()
    expectTypeOf<NonNullable<ContextValue>['getState']>().returns.toEqualTypeOf<Counter>()
    expectTypeOf<null>().toExtend<ContextValue>()
  })

  it('gives the nearest Provider store to useContext, and null outside any Provider', () => {
    const seen: ContextValue[] = []
    function Probe({ id }: { id: string }) {
      const api = useContext(CounterStore.StoreContext)
      seen.push(api)
      return <p data-testid={id}>{api ? api.getState().count : 'none'}</p>
    }
    render(
      <>
        <Probe id="outside" />
        <CounterStore.Provider initialData={{ start: 5 }}>
          <Probe id="a" />
        </CounterStore.Provider>
        <CounterStore.Provider initialData={{ start: 9 }}>
          <Probe id="b" />
        </CounterStore.Provider>
      </>,
    )
    expect(screen.getByTestId('outside').textContent).toBe('none')
    expect(screen.getByTestId('a').textContent).toBe('5')
    expect(screen.getByTestId('b').textContent).toBe('9')
    const [outside, a, b] = seen
    expect(outside).toBeNull()
    // One store per Provider: the two contexts hold different stores.
    expect(a).not.toBe(b)
  })

  it('is the same store useStore() reads, so its setState and subscribe act on it', () => {
    let api: ContextValue = null
    function Count() {
      api = useContext(CounterStore.StoreContext)
      const { count } = CounterStore.useStore()
      return <p data-testid="count">{count}</p>
    }
    render(
      <CounterStore.Provider initialData={{ start: 1 }}>
        <Count />
      </CounterStore.Provider>,
    )
    expect(api).not.toBeNull()
    const changes: number[] = []
    const stop = api!.subscribe((state) => changes.push(state.count))
    act(() => api!.getState().inc())
    expect(screen.getByTestId('count').textContent).toBe('2')
    act(() =>
      api!.setState((draft) => {
        draft.count = 10
      }),
    )
    expect(screen.getByTestId('count').textContent).toBe('10')
    expect(changes).toEqual([2, 10])
    stop()
  })
})
