import { createStoreApi } from './core.js'
import type { GetState, SetState, StateCreator, StoreListener } from './core.js'
import { useTrackedStore } from './use-tracked-store.js'

/** What `defineStore` returns: a hook plus the store's API for use outside React. */
export interface Store<T> {
  /** Returns the state; the component re-renders only when a property it read changes. */
  useStore: () => T
  getState: GetState<T>
  setState: SetState<T>
  /** Calls `listener(state, prevState)` after each change; returns the unsubscribe function. */
  subscribe: (listener: StoreListener<T>) => () => void
}

/**
 * Defines a module-level store shared by every component (and, on the server, by every request).
 *
 * Pass the state type explicitly: TypeScript cannot infer it from a creator that uses `set`/`get`.
 *
 * @example
 * const counter = defineStore<{ count: number; increment: () => void }>((set) => ({
 *   count: 0,
 *   increment: () => set((draft) => { draft.count++ }),
 * }))
 * function Counter() {
 *   const { count, increment } = counter.useStore()
 *   return <button onClick={increment}>{count}</button>
 * }
 */
export function defineStore<T extends object>(createState: StateCreator<T>): Store<T> {
  const api = createStoreApi(createState)
  return {
    useStore: () => useTrackedStore(api),
    getState: api.getState,
    setState: api.setState,
    subscribe: api.subscribe,
  }
}
