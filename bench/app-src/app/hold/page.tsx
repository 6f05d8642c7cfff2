// Many open streams: one value deferred 2 s, so a thousand requests are open at once (bench/lib/many-streams.mjs).
import { Await, defer, useLoaderData } from '@paretojs/core'
import { ItemList, LOADING, slowItems, type Item } from '../components'

export function loader() {
  return defer({ items: slowItems(2000, 8000) })
}

export default function HoldPage() {
  const { items } = useLoaderData<{ items: Promise<Item[]> }>()
  return (
    <section>
      <h1>Hold</h1>
      <Await resolve={items} fallback={LOADING}>
        {(items: Item[]) => <ItemList items={items} />}
      </Await>
    </section>
  )
}
