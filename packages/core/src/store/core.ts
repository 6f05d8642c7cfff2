import { produce } from 'immer'
import type { Draft } from 'immer'

/** An Immer recipe that mutates a draft of the state, or a partial object shallow-merged into it. */
export type StateUpdater<T> = ((draft: Draft<T>) => void) | Partial<T>

/** Applies an update to the store and notifies subscribers when the state actually changed. */
export type SetState<T> = (updater: StateUpdater<T>) => void

/** Returns the store's current state. */
export type GetState<T> = () => T

/** Called after every change with the new and the previous state. */
export type StoreListener<T> = (state: T, prevState: T) => void

/** Builds the initial state; actions in it are plain functions that call `set` and `get`. */
export type StateCreator<T> = (set: SetState<T>, get: GetState<T>) => T

/** The framework-agnostic store behind both `defineStore` and each context store Provider. */
export interface StoreApi<T> {
  getState: GetState<T>
  setState: SetState<T>
  subscribe: (listener: StoreListener<T>) => () => void
  /** The state the creator returned; the server snapshot, so SSR and hydration agree. */
  getInitialState: GetState<T>
}

const NOT_CREATED = Symbol('pareto.store.notCreated')

/** Creates a vanilla store from a state creator. */
export function createStoreApi<T extends object>(createState: StateCreator<T>): StoreApi<T> {
  let state: T | typeof NOT_CREATED = NOT_CREATED
  const listeners = new Set<StoreListener<T>>()

  const current = (caller: string): T => {
    if (state === NOT_CREATED) {
      throw new Error(
        `${caller} was called while the store was still being created. ` +
          'Return the initial values from the state creator, and call set()/get() only inside actions.',
      )
    }
    return state
  }

  const setState: SetState<T> = (updater) => {
    const prev = current('set()')
    // The recipe's return value is discarded on purpose: `set(d => d.count++)` returns a
    // number, which Immer would otherwise reject as "returned a new value and modified its draft".
    const next =
      typeof updater === 'function'
        ? produce(prev, (draft) => {
            updater(draft)
          })
        : produce(prev, (draft) => {
            Object.assign(draft as object, updater)
          })
    // Immer returns the same reference when nothing changed; skip notifying so no-op updates are free.
    if (Object.is(next, prev)) return
    state = next
    // Copy first: a listener may unsubscribe itself or others while we iterate.
    for (const listener of Array.from(listeners)) listener(next, prev)
  }

  const getState: GetState<T> = () => current('get()')

  const subscribe = (listener: StoreListener<T>) => {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  const initialState = createState(setState, getState)
  if (typeof initialState !== 'object' || initialState === null) {
    throw new TypeError(
      `A store's state creator must return a plain object (got ${initialState === null ? 'null' : typeof initialState}). ` +
        'Return { ...values, ...actions } from (set, get) => ({ ... }).',
    )
  }
  state = initialState

  return { getState, setState, subscribe, getInitialState: () => initialState }
}
