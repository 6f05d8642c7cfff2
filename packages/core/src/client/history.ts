/** History entries Pareto made carry a key, so scroll positions and rendered pages can be found again. */
interface ParetoHistoryState {
  __pareto?: { key: string }
}

const STORAGE_KEY = 'pareto:scroll'

/** A short random id for a history entry. */
export function newKey(): string {
  return Math.random().toString(36).slice(2, 10)
}

/** The key of a history state, if Pareto made it. */
export function keyOf(state: unknown): string | undefined {
  return (state as ParetoHistoryState | null)?.__pareto?.key
}

/** The state to store for a key, keeping whatever else the app put in history.state. */
export function stateFor(key: string, base: unknown = null): ParetoHistoryState {
  return { ...(typeof base === 'object' && base !== null ? base : {}), __pareto: { key } }
}

function readPositions(): Record<string, [number, number]> {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, [number, number]>
  } catch {
    return {}
  }
}

const positions = readPositions()

/** Remembers where the window is scrolled for a history entry (also across reloads, in sessionStorage). */
export function saveScroll(key: string): void {
  positions[key] = [window.scrollX, window.scrollY]
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(positions))
  } catch {
    // Storage may be full or disabled; positions still work for this page's lifetime.
  }
}

/** The remembered scroll position of a history entry. */
export function savedScroll(key: string): [number, number] | undefined {
  return positions[key]
}
