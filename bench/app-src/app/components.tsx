// Shared components + data for every benchmark scenario.
// The floor server (bench/floor/server.mjs) compiles THIS file with rolldown,
// so the three servers render byte-identical page content.
import type { ReactNode } from 'react'

export interface Item {
  id: number
  title: string
  price: number
  tags: string[]
}

export function makeItems(n = 50, seed = 0): Item[] {
  const items: Item[] = []
  for (let i = 0; i < n; i++) {
    items.push({
      id: seed + i,
      title: `Item number ${seed + i}`,
      price: Math.round(((seed + i) * 7.31) % 1000) / 10,
      tags: ['alpha', 'beta', 'gamma'].slice(0, (i % 3) + 1),
    })
  }
  return items
}

/** Module-level constant: the "inline data" of the static page. */
export const STATIC_ITEMS: Item[] = makeItems(50, 0)

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Simulated 10 ms database query. */
export async function queryItems(): Promise<Item[]> {
  await sleep(10)
  return makeItems(50, 1000)
}

/** Simulated slow (200 ms) query, used behind defer()/Suspense. */
export async function slowItems(ms = 200, seed = 2000): Promise<Item[]> {
  await sleep(ms)
  return makeItems(50, seed)
}

export function ItemList({ items }: { items: Item[] }) {
  return (
    <ul className="items">
      {items.map((it) => (
        <li key={it.id} data-id={it.id}>
          <span className="title">{it.title}</span>{' '}
          <span className="price">${it.price.toFixed(1)}</span>{' '}
          {it.tags.map((t) => (
            <em key={t}>{t}</em>
          ))}
        </li>
      ))}
    </ul>
  )
}

export function Shell({ children }: { children: ReactNode }) {
  return (
    <>
      <header>
        <b>Pareto bench</b>
      </header>
      <main>{children}</main>
    </>
  )
}

export const LOADING = <p>Loading…</p>

// Fallbacks of the fastslow page have their own text, so a response shows whether each one was sent.
export const FAST_LOADING = <p>Loading the fast value…</p>
export const SLOW_LOADING = <p>Loading the slow value…</p>
