// The mutation page's data and markup, shared with the floor (bench/floor/server.mjs compiles this file too).
// Apart from components.tsx so the other pages' shared chunk (and the seed page's client weight) stays as it was.
import type { ReactNode } from 'react'
import { ItemList, makeItems, type Item } from '../components'

/** The page's data: the newest posted titles and ~50 items (the same size for every request once the list is full). */
export interface MutationData {
  latest: string[]
  items: Item[]
}

/** How many posted titles are kept, so memory stays flat under load. */
export const KEPT = 100

/** Appends a posted title, dropping the oldest beyond KEPT. */
export function recordTitle(titles: string[], title: string): void {
  titles.push(title)
  if (titles.length > KEPT) titles.shift()
}

/** The loader's data, read again after each write. */
export function mutationData(titles: string[]): MutationData {
  return { latest: titles.slice(-3), items: makeItems(50, 8000) }
}

/** The form's fields (inside a plain `<form method="post">` in the app and in the floor). */
export function MutationFields() {
  return (
    <>
      <input name="title" defaultValue="x" /> <button type="submit">Add</button>
    </>
  )
}

/** The page: its form, what the action said, the newest titles and the items. */
export function MutationView({ data, saved, children }: { data: MutationData; saved: boolean; children: ReactNode }) {
  return (
    <section>
      <h1>Mutation</h1>
      {children}
      {saved ? <p>Saved.</p> : null}
      <p>Latest: {data.latest.join(', ')}</p>
      <ItemList items={data.items} />
    </section>
  )
}
