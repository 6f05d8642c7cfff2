import { describe, expect, it, vi } from 'vitest'
import { defineStore } from '../../src/store/index.js'

interface Todo {
  id: number
  title: string
  done: boolean
}

interface TodoState {
  todos: Todo[]
  byTag: Record<string, number[]>
  settings: { view: { filter: 'all' | 'done'; page: number }; theme: string }
  add: (title: string) => void
  remove: (id: number) => void
  toggle: (id: number) => void
  setFilter: (filter: 'all' | 'done') => void
  count: () => number
}

function createTodoStore() {
  return defineStore<TodoState>((set, get) => ({
    todos: [],
    byTag: { work: [1], home: [2] },
    settings: { view: { filter: 'all', page: 1 }, theme: 'light' },
    add: (title) =>
      set((draft) => {
        draft.todos.push({ id: draft.todos.length + 1, title, done: false })
      }),
    remove: (id) =>
      set((draft) => {
        draft.todos.splice(
          draft.todos.findIndex((t) => t.id === id),
          1,
        )
      }),
    toggle: (id) =>
      set((draft) => {
        const todo = draft.todos.find((t) => t.id === id)
        if (todo) todo.done = !todo.done
      }),
    setFilter: (filter) =>
      set((draft) => {
        draft.settings.view.filter = filter
      }),
    count: () => get().todos.length,
  }))
}

describe('defineStore outside React', () => {
  it('applies Immer pushes, splices and nested updates without mutating earlier states', () => {
    const store = createTodoStore()
    const initial = store.getState()

    store.getState().add('a')
    store.getState().add('b')
    expect(store.getState().todos.map((t) => t.title)).toEqual(['a', 'b'])
    expect(store.getState().count()).toBe(2)
    expect(initial.todos).toEqual([])

    store.getState().toggle(2)
    expect(store.getState().todos[1]).toEqual({ id: 2, title: 'b', done: true })

    const beforeRemove = store.getState()
    store.getState().remove(1)
    expect(store.getState().todos.map((t) => t.id)).toEqual([2])
    expect(beforeRemove.todos.map((t) => t.id)).toEqual([1, 2])

    store.getState().setFilter('done')
    expect(store.getState().settings.view).toEqual({ filter: 'done', page: 1 })
    // Structural sharing: untouched branches keep their identity, touched ones get new ones.
    expect(store.getState().settings).not.toBe(initial.settings)
    expect(store.getState().byTag).toBe(initial.byTag)
  })

  it('deletes keys from records and the state itself', () => {
    const store = defineStore<{ tags: Record<string, number>; temp?: string }>(() => ({
      tags: { a: 1, b: 2 },
      temp: 'x',
    }))
    store.setState((draft) => {
      delete draft.tags.a
      delete draft.temp
    })
    expect(store.getState().tags).toEqual({ b: 2 })
    expect('temp' in store.getState()).toBe(false)
  })

  it('ignores the value an expression-bodied recipe returns', () => {
    const store = defineStore<{ count: number }>(() => ({ count: 0 }))
    // `draft.count++` evaluates to a number; Immer would throw if that were treated as a new state.
    store.setState((draft) => draft.count++)
    expect(store.getState().count).toBe(1)
  })

  it('shallow-merges a partial object passed to setState', () => {
    const store = createTodoStore()
    const { settings } = store.getState()
    store.setState({ todos: [{ id: 9, title: 'z', done: false }] })
    expect(store.getState().todos).toEqual([{ id: 9, title: 'z', done: false }])
    expect(store.getState().settings).toBe(settings)
    expect(typeof store.getState().add).toBe('function')
  })

  it('keeps action references stable across updates', () => {
    const store = createTodoStore()
    const { add, remove, toggle, count } = store.getState()
    add('a')
    toggle(1)
    store.setState({ byTag: {} })
    remove(1)
    const after = store.getState()
    expect(after.add).toBe(add)
    expect(after.remove).toBe(remove)
    expect(after.toggle).toBe(toggle)
    expect(after.count).toBe(count)
  })

  it('calls subscribers with (state, prevState) and stops after unsubscribe', () => {
    const store = createTodoStore()
    const listener = vi.fn()
    const unsubscribe = store.subscribe(listener)

    const s0 = store.getState()
    store.getState().add('a')
    const s1 = store.getState()
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener).toHaveBeenLastCalledWith(s1, s0)
    expect(s1).not.toBe(s0)

    store.setState({ settings: { ...s1.settings, theme: 'dark' } })
    expect(listener).toHaveBeenCalledTimes(2)
    expect(listener).toHaveBeenLastCalledWith(store.getState(), s1)

    unsubscribe()
    store.getState().add('b')
    expect(listener).toHaveBeenCalledTimes(2)
    expect(store.getState().todos).toHaveLength(2)
  })

  it('does not notify when an update changes nothing', () => {
    const store = createTodoStore()
    const listener = vi.fn()
    store.subscribe(listener)
    const before = store.getState()
    store.setState(() => {})
    store.setState({ byTag: before.byTag })
    store.getState().setFilter('all')
    expect(listener).not.toHaveBeenCalled()
    expect(store.getState()).toBe(before)
  })

  it('lets a listener unsubscribe another during notification without skipping the rest', () => {
    const store = defineStore<{ n: number }>(() => ({ n: 0 }))
    const calls: string[] = []
    let unsubscribeB = () => {}
    store.subscribe(() => {
      calls.push('a')
      unsubscribeB()
    })
    unsubscribeB = store.subscribe(() => calls.push('b'))
    store.subscribe(() => calls.push('c'))
    store.setState({ n: 1 })
    store.setState({ n: 2 })
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'c'])
  })

  it('explains set()/get() called while the store is being created', () => {
    expect(() =>
      defineStore<{ n: number }>((set) => {
        set({ n: 1 })
        return { n: 0 }
      }),
    ).toThrow(/set\(\) was called while the store was still being created/)
    expect(() => defineStore<{ n: number }>((_set, get) => ({ n: get().n }))).toThrow(
      /get\(\) was called while the store was still being created/,
    )
  })

  it('rejects a creator that does not return an object', () => {
    expect(() => defineStore(() => null as unknown as object)).toThrow(/must return a plain object \(got null\)/)
  })
})
