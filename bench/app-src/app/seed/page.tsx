// Client-weight page: fast heading data + two deferred slow sections.
import { Await, defer, useLoaderData } from '@paretojs/core'
import { ItemList, LOADING, slowItems, type Item } from '../components'

export function loader() {
  return defer({
    heading: { title: 'Seed', count: 100 },
    first: slowItems(100, 4000),
    second: slowItems(300, 5000),
  })
}

interface SeedData {
  heading: { title: string; count: number }
  first: Promise<Item[]>
  second: Promise<Item[]>
}

export default function SeedPage() {
  const { heading, first, second } = useLoaderData<SeedData>()
  return (
    <section>
      <h1>
        {heading.title} ({heading.count})
      </h1>
      <Await resolve={first} fallback={LOADING}>
        {(items: Item[]) => <ItemList items={items} />}
      </Await>
      <Await resolve={second} fallback={LOADING}>
        {(items: Item[]) => <ItemList items={items} />}
      </Await>
    </section>
  )
}
