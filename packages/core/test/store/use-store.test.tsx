// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { StrictMode, useEffect, useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { defineStore } from '../../src/store/index.js'

interface CounterState {
  count: number
  history: number[]
  profile: { name: string; address: { city: string } }
  increment: () => void
  record: () => void
  moveTo: (city: string) => void
}

function createCounterStore() {
  return defineStore<CounterState>((set, get) => ({
    count: 0,
    history: [],
    profile: { name: 'Ada', address: { city: 'London' } },
    increment: () =>
      set((draft) => {
        draft.count++
      }),
    record: () =>
      set((draft) => {
        draft.history.push(get().count)
      }),
    moveTo: (city) =>
      set((draft) => {
        draft.profile.address.city = city
      }),
  }))
}

afterEach(cleanup)

describe('useStore() of defineStore', () => {
  it('re-renders a component only when a property it read changes', () => {
    const store = createCounterStore()
    const renders = { count: 0, history: 0 }

    function CountView() {
      renders.count++
      const state = store.useStore()
      return <p data-testid="count">{state.count}</p>
    }
    function HistoryView() {
      renders.history++
      const state = store.useStore()
      return <p data-testid="history">{state.history.join(',')}</p>
    }
    render(
      <>
        <CountView />
        <HistoryView />
      </>,
    )
    expect(renders).toEqual({ count: 1, history: 1 })

    act(() => store.getState().record())
    act(() => store.getState().record())
    expect(screen.getByTestId('history').textContent).toBe('0,0')
    expect(renders).toEqual({ count: 1, history: 3 })

    act(() => store.getState().increment())
    expect(screen.getByTestId('count').textContent).toBe('1')
    expect(renders).toEqual({ count: 2, history: 3 })

    act(() => store.getState().moveTo('Paris'))
    expect(renders).toEqual({ count: 2, history: 3 })
  })

  it('tracks destructured properties, and actions are stable across renders', () => {
    const store = createCounterStore()
    let renders = 0
    const seenIncrements = new Set<() => void>()

    function Counter() {
      renders++
      const { count, increment } = store.useStore()
      seenIncrements.add(increment)
      return <button onClick={increment}>count {count}</button>
    }
    render(<Counter />)

    fireEvent.click(screen.getByRole('button'))
    fireEvent.click(screen.getByRole('button'))
    expect(screen.getByRole('button').textContent).toBe('count 2')
    expect(renders).toBe(3)

    act(() => store.getState().record())
    act(() => store.getState().moveTo('Oslo'))
    expect(renders).toBe(3)
    expect(seenIncrements.size).toBe(1)
    expect(seenIncrements.has(store.getState().increment)).toBe(true)
  })

  it('re-renders on nested updates below a property that was read', () => {
    const store = createCounterStore()
    function City() {
      const { profile } = store.useStore()
      return <p data-testid="city">{profile.address.city}</p>
    }
    render(<City />)
    act(() => store.getState().moveTo('Rome'))
    expect(screen.getByTestId('city').textContent).toBe('Rome')
  })

  it('reads the latest value of a property first read in a later render', () => {
    const store = createCounterStore()
    let setShowHistory: (show: boolean) => void = () => {}

    function Parent() {
      const [show, setShow] = useState(false)
      setShowHistory = setShow
      return <Child showHistory={show} />
    }
    const rendered: string[] = []
    function Child({ showHistory }: { showHistory: boolean }) {
      const state = store.useStore()
      const text = `${state.count}${showHistory ? `|${state.history.join(',')}` : ''}`
      rendered.push(text)
      return <p data-testid="out">{text}</p>
    }
    render(<Parent />)

    // history is not tracked yet, so this does not re-render Child...
    act(() => store.getState().record())
    act(() => store.getState().increment())
    act(() => store.getState().record())
    // ...but once Child reads it, it must see the current value, not the one from its last render.
    const before = rendered.length
    act(() => setShowHistory(true))
    expect(screen.getByTestId('out').textContent).toBe('1|0,1')
    // One render, with the current value: no intermediate render from a stale snapshot.
    expect(rendered.slice(before)).toEqual(['1|0,1'])

    act(() => store.getState().record())
    expect(screen.getByTestId('out').textContent).toBe('1|0,1,1')
  })

  it('applies setState() from outside React to mounted components', () => {
    const store = createCounterStore()
    function Count() {
      return <p data-testid="count">{store.useStore().count}</p>
    }
    render(<Count />)
    act(() => store.setState({ count: 41 }))
    act(() =>
      store.setState((draft) => {
        draft.count++
      }),
    )
    expect(screen.getByTestId('count').textContent).toBe('42')
  })

  it('keeps per-property subscriptions under StrictMode double rendering', () => {
    const store = createCounterStore()
    let commits = 0
    function CountView() {
      const { count } = store.useStore()
      useEffect(() => {
        commits++
      })
      return <p data-testid="count">{count}</p>
    }
    render(
      <StrictMode>
        <CountView />
      </StrictMode>,
    )
    const afterMount = commits
    act(() => store.getState().record())
    expect(commits).toBe(afterMount)
    act(() => store.getState().increment())
    expect(screen.getByTestId('count').textContent).toBe('1')
    expect(commits).toBe(afterMount + 1)
  })

  it('refuses direct assignment to the returned object', () => {
    const store = createCounterStore()
    let caught: unknown
    function Mutator() {
      const state = store.useStore()
      try {
        ;(state as { count: number }).count = 5
      } catch (error) {
        caught = error
      }
      return null
    }
    render(<Mutator />)
    expect(String(caught)).toMatch(/Cannot change store\.count: .* read-only snapshot/)
    expect(store.getState().count).toBe(0)
  })
})
