// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { Component, useState } from 'react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineContextStore } from '../../src/store/index.js'

interface CartInit {
  owner: string
  items: string[]
}

interface CartState {
  owner: string
  items: string[]
  note: string
  add: (item: string) => void
  setNote: (note: string) => void
}

function createCartStore() {
  const factory = vi.fn()
  const Cart = defineContextStore<CartState, CartInit>((init) => {
    factory(init)
    return (set) => ({
      owner: init.owner,
      items: [...init.items],
      note: '',
      add: (item) =>
        set((draft) => {
          draft.items.push(item)
        }),
      setNote: (note) =>
        set((draft) => {
          draft.note = note
        }),
    })
  })
  return { Cart, factory }
}

class Catch extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null }
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  render() {
    return this.state.error ? <p data-testid="error">{this.state.error.message}</p> : this.props.children
  }
}

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('defineContextStore', () => {
  it('gives every Provider its own store, initialised from its initialData', () => {
    const { Cart } = createCartStore()
    function CartView({ id }: { id: string }) {
      const { owner, items, add } = Cart.useStore()
      return (
        <button data-testid={id} onClick={() => add(`${id}-item`)}>
          {owner}:{items.join(',')}
        </button>
      )
    }
    render(
      <>
        <Cart.Provider initialData={{ owner: 'alice', items: ['a1'] }}>
          <CartView id="a" />
        </Cart.Provider>
        <Cart.Provider initialData={{ owner: 'bob', items: [] }}>
          <CartView id="b" />
        </Cart.Provider>
      </>,
    )
    expect(screen.getByTestId('a').textContent).toBe('alice:a1')
    expect(screen.getByTestId('b').textContent).toBe('bob:')

    fireEvent.click(screen.getByTestId('a'))
    fireEvent.click(screen.getByTestId('a'))
    expect(screen.getByTestId('a').textContent).toBe('alice:a1,a-item,a-item')
    expect(screen.getByTestId('b').textContent).toBe('bob:')

    fireEvent.click(screen.getByTestId('b'))
    expect(screen.getByTestId('b').textContent).toBe('bob:b-item')
    expect(screen.getByTestId('a').textContent).toBe('alice:a1,a-item,a-item')
  })

  it('shares one store between the consumers of one Provider, with per-property re-renders', () => {
    const { Cart } = createCartStore()
    const renders = { items: 0, note: 0 }
    let actions: Pick<CartState, 'add' | 'setNote'> | undefined
    function Items() {
      renders.items++
      const { items, add, setNote } = Cart.useStore()
      actions = { add, setNote }
      return <p data-testid="items">{items.length}</p>
    }
    function Note() {
      renders.note++
      const { note } = Cart.useStore()
      return <p data-testid="note">{note}</p>
    }
    render(
      <Cart.Provider initialData={{ owner: 'alice', items: [] }}>
        <Items />
        <Note />
      </Cart.Provider>,
    )
    act(() => actions!.setNote('gift'))
    expect(screen.getByTestId('note').textContent).toBe('gift')
    expect(renders).toEqual({ items: 1, note: 2 })

    act(() => actions!.add('x'))
    expect(screen.getByTestId('items').textContent).toBe('1')
    expect(renders).toEqual({ items: 2, note: 2 })
  })

  it('creates the store once per Provider instance, keeping state across re-renders', () => {
    const { Cart, factory } = createCartStore()
    let setOwner: (owner: string) => void = () => {}
    function Page() {
      const [owner, set] = useState('alice')
      setOwner = set
      return (
        <Cart.Provider initialData={{ owner, items: [] }}>
          <Owner />
        </Cart.Provider>
      )
    }
    let add: (item: string) => void = () => {}
    function Owner() {
      const state = Cart.useStore()
      add = state.add
      return (
        <p data-testid="owner">
          {state.owner}:{state.items.length}
        </p>
      )
    }
    render(<Page />)
    act(() => add('x'))
    act(() => setOwner('bob'))
    expect(screen.getByTestId('owner').textContent).toBe('alice:1')
    expect(factory).toHaveBeenCalledTimes(1)
  })

  it('throws a clear error when useStore() is called outside its Provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { Cart } = createCartStore()
    const { Cart: OtherCart } = createCartStore()
    function Owner() {
      return <p>{Cart.useStore().owner}</p>
    }
    render(
      <>
        <Catch>
          <Owner />
        </Catch>
        <OtherCart.Provider initialData={{ owner: 'x', items: [] }}>
          <Catch>
            <Owner />
          </Catch>
        </OtherCart.Provider>
      </>,
    )
    const messages = screen.getAllByTestId('error').map((el) => el.textContent)
    expect(messages).toHaveLength(2)
    for (const message of messages) {
      expect(message).toContain('useStore() of a context store was called outside its <Provider>')
      expect(message).toContain('<Store.Provider initialData={…}>')
    }
  })
})
