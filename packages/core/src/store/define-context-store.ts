import { createContext, createElement, useContext, useState } from 'react'
import type { Context, ReactElement, ReactNode } from 'react'
import { createStoreApi } from './core.js'
import type { StateCreator, StoreApi } from './core.js'
import { useTrackedStore } from './use-tracked-store.js'

/** Props of a context store's Provider; `initialData` is optional only when the factory accepts `undefined`. */
export type ContextStoreProviderProps<I> = { children?: ReactNode } & (undefined extends I
  ? { initialData?: I }
  : { initialData: I })

/** What `defineContextStore` returns: a Provider that owns one store, the hook that reads it, and their React context. */
export interface ContextStore<T, I> {
  Provider: (props: ContextStoreProviderProps<I>) => ReactElement
  /** Returns the nearest Provider's state; the component re-renders only when a property it read changes. */
  useStore: () => T
  /**
   * The React context the Provider fills: the nearest Provider's store (`getState`, `setState`, `subscribe`), or
   * `null` outside one. As in the original Pareto; `useContext(Store.StoreContext)` reads the store without subscribing.
   */
  StoreContext: Context<StoreApi<T> | null>
}

/**
 * Defines a store created once per `<Provider>` from its `initialData`, so per-request data stays per request.
 *
 * Pass the state and `initialData` types explicitly: TypeScript cannot infer them from a creator that uses `set`/`get`.
 *
 * @example
 * const PostStore = defineContextStore<{ post: Post; like: () => void }, Post>((post) => (set) => ({
 *   post,
 *   like: () => set((draft) => { draft.post.likes++ }),
 * }))
 * // in the page: <PostStore.Provider initialData={loaderData.post}>…</PostStore.Provider>
 */
export function defineContextStore<T extends object, I = undefined>(
  createState: (initialData: I) => StateCreator<T>,
): ContextStore<T, I> {
  const StoreContext = createContext<StoreApi<T> | null>(null)

  function Provider(props: ContextStoreProviderProps<I>): ReactElement {
    // Lazy useState gives one store per Provider instance; later changes to initialData are
    // ignored like any useState initialiser (give the Provider a `key` to start over).
    const [api] = useState(() => createStoreApi(createState(props.initialData as I)))
    return createElement(StoreContext.Provider, { value: api }, props.children)
  }

  function useStore(): T {
    const api = useContext(StoreContext)
    if (api === null) {
      throw new Error(
        'useStore() of a context store was called outside its <Provider>. ' +
          "Wrap the component tree in the store's Provider: <Store.Provider initialData={…}>…</Store.Provider> " +
          '(it must be the Provider returned by the same defineContextStore() call).',
      )
    }
    return useTrackedStore(api)
  }

  return { Provider, useStore, StoreContext }
}
