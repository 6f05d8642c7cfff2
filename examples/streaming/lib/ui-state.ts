import { defineStore } from '@paretojs/core/store'

// Client-only UI state shared by the layout and the page: one store for the whole app is right here,
// because nothing in it comes from a request (per-request data belongs in defineContextStore).
interface UiState {
  compact: boolean
  toggleCompact: () => void
}

export const ui = defineStore<UiState>((set) => ({
  compact: false,
  toggleCompact: () => set((d) => void (d.compact = !d.compact)),
}))
