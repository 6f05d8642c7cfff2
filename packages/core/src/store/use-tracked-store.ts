import { useMemo, useState, useSyncExternalStore } from 'react'
import type { StoreApi } from './core.js'

type Keyed = Record<PropertyKey, unknown>

function changedIn(keys: ReadonlySet<PropertyKey>, prev: object, next: object): boolean {
  if (prev === next) return false
  for (const key of keys) {
    if (!Object.is((prev as Keyed)[key], (next as Keyed)[key])) return true
  }
  return false
}

function createTrackedView<T extends object>(snapshot: T, tracked: Set<PropertyKey>): T {
  const readOnly = (key: PropertyKey): never => {
    throw new TypeError(
      `Cannot change store.${String(key)}: the object returned by useStore() is a read-only snapshot. ` +
        `Change state through an action that calls set(draft => { draft.${String(key)} = … }).`,
    )
  }
  return new Proxy(snapshot, {
    get(target, key) {
      tracked.add(key)
      return Reflect.get(target, key)
    },
    has(target, key) {
      tracked.add(key)
      return Reflect.has(target, key)
    },
    set: (_target, key) => readOnly(key),
    deleteProperty: (_target, key) => readOnly(key),
    defineProperty: (_target, key) => readOnly(key),
  })
}

/**
 * Subscribes the calling component to the keys it reads from the returned object, and only to those.
 * @internal
 */
export function useTrackedStore<T extends object>(api: StoreApi<T>): T {
  // Keys only accumulate: a key read in an earlier (even a discarded concurrent) render stays
  // tracked, which can cost an extra re-render but never a missed one.
  const [tracked] = useState(() => new Set<PropertyKey>())

  // A fresh getSnapshot per render: its first call happens while this component renders and
  // returns the latest state, so a key read for the first time in this render is never stale.
  // Later calls (store notifications, React's tearing and post-commit checks) hand back that same
  // snapshot unless a tracked key changed, which is what lets useSyncExternalStore bail out.
  let rendered: T | undefined
  const remember = (state: T): T => {
    rendered = state
    return state
  }
  const snapshot = useSyncExternalStore(
    api.subscribe,
    () => {
      const latest = api.getState()
      if (rendered === undefined) return remember(latest)
      return changedIn(tracked, rendered, latest) ? latest : rendered
    },
    // The state the store was created with, on the server and while hydrating, so the client's
    // first render matches the HTML even if the store changed before hydrateRoot ran.
    () => remember(api.getInitialState()),
  )

  return useMemo(() => createTrackedView(snapshot, tracked), [snapshot, tracked])
}
